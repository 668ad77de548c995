/** The frame of the safety pages: heading and the bar that links them (by arm only for roles that may). */
import type { ReactNode } from 'react';
import { can } from '../../../../src/core/authorization.js';
import { useSignedIn } from '../../app/session.js';
import { PageHeading } from '../../components/page-heading.js';
import { SectionNav, type SectionLink } from '../randomization/section-nav.js';
import { useSafetyStrings } from './safety-i18n.js';

/** Props of SafetyFrame. */
export interface SafetyFrameProps {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
}

/** Heading and section bar, then the page. */
export function SafetyFrame({ title, actions, children }: SafetyFrameProps) {
  const { pt } = useSafetyStrings();
  const { roles } = useSignedIn();
  const links: SectionLink[] = [
    { href: '/safety', label: pt('nav.overview'), match: ['/safety/cases/:id'] },
    {
      href: '/safety/adverse-events',
      label: pt('nav.adverseEvents'),
      match: ['/safety/adverse-events/:id', '/safety/adverse-events/new'],
    },
  ];
  if (can(roles, 'safety.review.read')) links.push({ href: '/safety/review-tasks', label: pt('nav.reviewTasks') });
  if (can(roles, 'safety.tables.read')) links.push({ href: '/safety/tables', label: pt('nav.tables') });
  if (can(roles, 'safety.tables.by_arm')) links.push({ href: '/safety/tables/by-arm', label: pt('nav.byArm') });
  return (
    <>
      <PageHeading actions={actions}>{title}</PageHeading>
      <SectionNav label={pt('nav.label')} links={links} />
      {children}
    </>
  );
}
