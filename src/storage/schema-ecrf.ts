/** Table shapes for: Visits, form instances, item values, queries, SDV and locks (issue 4). Conventions as in `schema.ts`. */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the feature
export interface EcrfTables {}
