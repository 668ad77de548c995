/** Screening eligibility (spec §3): items, criteria, validation, assessment and explanation. */
export * from './screening-items.js';
export * from './three-valued.js';
export * from './eligibility-criteria.js';
export * from './parse-screening-record.js';
export * from './assess-eligibility.js';
export * from './explain-eligibility.js';
