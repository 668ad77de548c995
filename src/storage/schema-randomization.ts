/** Table shapes for: Allocation list, randomizations, product chain, unblinding (issue 5). Conventions as in `schema.ts`. */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the feature
export interface RandomizationTables {}
