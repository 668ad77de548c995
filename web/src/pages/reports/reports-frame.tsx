/** The frame of the report pages: heading and the bar that links the dashboard and the CONSORT diagram. */
import type { ReactNode } from 'react';
import { can } from '../../../../src/core/authorization.js';
import { useSignedIn } from '../../app/session.js';
import { PageHeading } from '../../components/page-heading.js';
import { SectionNav, type SectionLink } from '../randomization/section-nav.js';
import { useReportsStrings } from './reports-i18n.js';

/** Props of ReportsFrame. */
export interface ReportsFrameProps {
  title: string;
  children: ReactNode;
}

/** Heading and section bar, then the page. */
export function ReportsFrame({ title, children }: ReportsFrameProps) {
  const { pt } = useReportsStrings();
  const { roles } = useSignedIn();
  const links: SectionLink[] = [];
  if (can(roles, 'reports.dashboard.read')) links.push({ href: '/dashboard', label: pt('nav.dashboard') });
  if (can(roles, 'reports.consort.read')) links.push({ href: '/reports/consort', label: pt('nav.consort') });
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <SectionNav label={pt('nav.label')} links={links} />
      {children}
    </>
  );
}
