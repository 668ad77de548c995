/** User administration (admin only). */
import { api } from './client.js';
import type { RoleGrant, UserSummary } from './types.js';

/** What the create-user form sends; without `password` the server generates a one-time password. */
export interface NewUser {
  email: string;
  displayName: string;
  password?: string;
  locale?: 'da' | 'en';
  grants: RoleGrant[];
}

const userPath = (id: string, action: string): string => `/api/v1/users/${encodeURIComponent(id)}/${action}`;

/** All staff accounts. */
export async function listUsers(): Promise<UserSummary[]> {
  return (await api.get<{ users: UserSummary[] }>('/api/v1/users')).users;
}

/** Creates an account; `oneTimePassword` is null when a password was given. */
export const createUser = (user: NewUser): Promise<{ user: UserSummary; oneTimePassword: string | null }> =>
  api.post('/api/v1/users', user);

/** Disables an account (accounts are never deleted). */
export const disableUser = (id: string, reason: string): Promise<UserSummary> =>
  api.post(userPath(id, 'disable'), { reason });

/** Re-enables a disabled account. */
export const enableUser = (id: string, reason: string): Promise<UserSummary> =>
  api.post(userPath(id, 'enable'), { reason });

/** Replaces the password with a one-time password (also clears a lockout). */
export const resetUserPassword = (id: string): Promise<{ oneTimePassword: string | null }> =>
  api.post(userPath(id, 'reset-password'), {});

/** Replaces the user's role grants, with a reason for the audit trail. */
export const setUserGrants = (id: string, grants: RoleGrant[], reason: string): Promise<UserSummary> =>
  api.put(userPath(id, 'grants'), { grants, reason });
