/** zod schemas shared by several routes (request pieces and response shapes). */
import { z } from 'zod';
import { STAFF_ROLES } from '../core/roles.js';

/** Free text with a sane upper bound: nothing we store needs megabytes in one field. */
export const text = (max = 2000) => z.string().max(max);
export const nonEmptyText = (max = 2000) => z.string().trim().min(1, 'must not be empty').max(max);

export const IdParams = z.object({ id: z.string().min(1).max(100) }).strict();

export const RoleGrantSchema = z
  .object({
    role: z.enum(STAFF_ROLES),
    siteId: z.string().max(100).nullable(),
  })
  .strict();

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  status: z.enum(['active', 'disabled']),
  locked: z.boolean(),
  locale: z.string(),
  grants: z.array(z.object({ role: z.string(), siteId: z.string().nullable() })),
  createdAt: z.string(),
});

export const OkSchema = z.object({ ok: z.literal(true) });

export const ReasonBody = z.object({ reason: nonEmptyText(1000) }).strict();

export const SignatureSchema = z
  .object({
    password: z.string().min(1, 'is required').max(256),
  })
  .strict();
