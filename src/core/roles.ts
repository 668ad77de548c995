/** The roles of spec §10. Staff roles are granted per site (or study-wide); `participant` is ePRO only. */
export const ROLES = [
  'admin',
  'investigator',
  'coordinator',
  'unblinded_pharmacist',
  'monitor',
  'data_manager',
  'statistician',
  'dsmb',
  'participant',
] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_ROLES = ROLES.filter((r): r is Exclude<Role, 'participant'> => r !== 'participant');
export type StaffRole = (typeof STAFF_ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);
export const isStaffRole = (value: string): value is StaffRole => (STAFF_ROLES as readonly string[]).includes(value);

/**
 * Roles that may see the allocation (spec §4). The statistician is unblinded only after database
 * lock, so whether a given statistician sees arms is a condition, not a property of the role.
 */
export const ALWAYS_UNBLINDED_ROLES: readonly Role[] = ['unblinded_pharmacist', 'dsmb'];

export const ROLE_LABELS: Record<Role, { en: string; da: string }> = {
  admin: { en: 'Administrator', da: 'Administrator' },
  investigator: { en: 'Investigator', da: 'Investigator' },
  coordinator: { en: 'Study nurse / coordinator', da: 'Forskningssygeplejerske / koordinator' },
  unblinded_pharmacist: { en: 'Cell laboratory (unblinded)', da: 'Cellelaboratorium (ublindet)' },
  monitor: { en: 'Monitor', da: 'Monitor' },
  data_manager: { en: 'Data manager', da: 'Datamanager' },
  statistician: { en: 'Statistician', da: 'Statistiker' },
  dsmb: { en: 'Data and safety monitoring board', da: 'Data- og sikkerhedskomité (DSMB)' },
  participant: { en: 'Participant', da: 'Deltager' },
};
