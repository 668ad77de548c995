/**
 * The frame of every cell-laboratory page: the heading, the unblinded-area banner and the bar that
 * links the laboratory's pages. These routes open only for the unblinded roles.
 */
import type { ReactNode } from 'react';
import { PageHeading } from '../../components/page-heading.js';
import { SectionNav } from '../randomization/section-nav.js';
import { usePharmacyStrings } from './pharmacy-i18n.js';

/** Props of PharmacyFrame. */
export interface PharmacyFrameProps {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}

/** Heading, banner and section bar, then the page. */
export function PharmacyFrame({ title, actions, children }: PharmacyFrameProps) {
  const { pt } = usePharmacyStrings();
  return (
    <>
      <PageHeading actions={actions}>{title}</PageHeading>
      <p className="tp-callout tp-callout--danger">{pt('unblindedBanner')}</p>
      <SectionNav
        label={pt('nav.label')}
        links={[
          { href: '/pharmacy', label: pt('nav.preparations'), match: ['/pharmacy/participants/:id'] },
          { href: '/pharmacy/allocation', label: pt('nav.allocation') },
          { href: '/pharmacy/donors', label: pt('nav.donors'), match: ['/pharmacy/donors/:id'] },
          { href: '/pharmacy/lots', label: pt('nav.lots'), match: ['/pharmacy/lots/:id'] },
          { href: '/pharmacy/vials', label: pt('nav.vials') },
        ]}
      />
      {children}
    </>
  );
}
