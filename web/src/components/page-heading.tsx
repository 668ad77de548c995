/**
 * The page's `<h1>`. It also sets the document title, and takes focus after an in-app navigation
 * so that screen readers announce the new page and keyboard users continue from its top.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import { takeHeadingFocusRequest } from '../app/router.js';

/** Props of PageHeading. */
export interface PageHeadingProps {
  children: string;
  /** Optional controls shown beside the heading (e.g. a "New user" button). */
  actions?: ReactNode;
}

/** Renders the page heading and handles title and focus. */
export function PageHeading({ children, actions }: PageHeadingProps) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${children} · STEMJOINT`;
  }, [children]);
  useEffect(() => {
    if (takeHeadingFocusRequest()) ref.current?.focus();
  }, []);
  return (
    <div className="page-heading">
      <h1 ref={ref} tabIndex={-1}>
        {children}
      </h1>
      {actions ? <div className="page-heading__actions">{actions}</div> : null}
    </div>
  );
}
