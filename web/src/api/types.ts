/** Shapes of the API's JSON responses that the web app reads (mirrors `src/server/schemas.ts`). */
import type { StaffRole } from '../../../src/core/roles.js';

/** One role grant; `siteId` null means study-wide. */
export interface RoleGrant {
  role: StaffRole;
  siteId: string | null;
}

/** A staff account as the API presents it. */
export interface UserSummary {
  id: string;
  email: string;
  displayName: string;
  status: 'active' | 'disabled';
  locked: boolean;
  locale: string;
  grants: RoleGrant[];
  createdAt: string;
}

/** The answer of login and `GET /auth/me`. */
export interface CurrentSession {
  user: UserSummary;
  csrfToken: string | null;
  expiresAt: string | null;
  mustChangePassword: boolean;
}

/** A trial site. */
export interface Site {
  id: string;
  code: string;
  name: string;
}

/** `GET /api/v1/study`. */
export interface StudyOverview {
  id: string;
  acronym: string;
  title: string;
  registryId: string;
  protocolVersion: string;
  enrolmentTarget: number;
  databaseLocked: boolean;
  lockedAt: string | null;
  sites: Site[];
  counts: { users: number; auditRecords: number };
}
