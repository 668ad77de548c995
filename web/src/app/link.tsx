/** An in-app link: a real `<a href>` (so it can be opened in a new tab) that navigates without a reload. */
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';
import { navigate } from './router.js';

/** Props of Link: an anchor whose `href` is an in-app path. */
export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  href: string;
  children: ReactNode;
}

/** Renders an anchor that uses client-side navigation for plain left clicks. */
export function Link({ href, onClick, children, ...rest }: LinkProps) {
  const handleClick = (e: MouseEvent<HTMLAnchorElement>): void => {
    onClick?.(e);
    // Let the browser handle new-tab/new-window clicks and anything already handled.
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={handleClick} {...rest}>
      {children}
    </a>
  );
}
