/** Table shapes for: Adverse events, SAE cases and their clocks (issue 6). Conventions as in `schema.ts`. */

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the feature
export interface SafetyTables {}
