/**
 * A row of links between the pages of one area (pharmacy, safety): the main navigation lists the
 * area once, and this bar reaches its other pages. It wraps on phones; the current page is marked
 * with aria-current.
 */
import { Link } from '../../app/link.js';
import { matchPath, usePathname } from '../../app/router.js';
import { useCommonStrings } from './common-strings.js';

/** One link of the bar; `match` lists extra path patterns that count as this section. */
export interface SectionLink {
  href: string;
  label: string;
  match?: readonly string[];
}

/** The section bar. */
export function SectionNav({ links, label }: { links: readonly SectionLink[]; label?: string }) {
  const { pt } = useCommonStrings();
  const pathname = usePathname();
  return (
    <nav className="tp-section-nav" aria-label={label ?? pt('sectionNav')}>
      <ul className="tp-section-nav__list">
        {links.map((l) => {
          const current = [l.href, ...(l.match ?? [])].some((p) => matchPath(p, pathname) !== null);
          return (
            <li key={l.href}>
              <Link href={l.href} className="tp-section-nav__link" aria-current={current ? 'page' : undefined}>
                {l.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
