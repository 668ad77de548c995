/**
 * The eCRF engine's pure core: validation of form values against the protocol definition (types,
 * limits, code lists, conditions, required items), derived items by method id, value diffs for the
 * audit trail and source data verification, blinding masks, the per-participant visit schedule
 * read from the protocol, page metadata and query ageing. No I/O, no clock.
 */
export * from './check-item-value.js';
export * from './derive-form-values.js';
export * from './describe-form.js';
export * from './diff-form-values.js';
export * from './form-index.js';
export * from './form-scope.js';
export * from './mask-values.js';
export * from './participant-schedule.js';
export * from './query-age.js';
export * from './validate-form-data.js';
