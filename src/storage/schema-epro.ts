/** Table shapes for: Participant access, questionnaires, diary, reminder jobs (issue 7). Conventions as in `schema.ts`. */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the feature
export interface EproTables {}
