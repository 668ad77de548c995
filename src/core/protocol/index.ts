/**
 * The STEMJOINT protocol as code: typed definition model, condition evaluation, validation,
 * versioning and the STEMJOINT definition itself. Pure; no I/O.
 */
export * from './arms.js';
export * from './condition.js';
export * from './define-protocol.js';
export * from './definition-types.js';
export * from './diff-protocols.js';
export * from './evaluate-condition.js';
export * from './item-types.js';
export * from './load-protocol.js';
export * from './localized-text.js';
export * from './protocol-queries.js';
export * from './protocol-registry.js';
export * from './protocol-version.js';
export * from './roles.js';
export * from './stemjoint.js';
export * from './stemjoint-registry.js';
export * from './validate-protocol.js';
export { KOOS_SUBSCALE_DEFS, type KoosSubscaleId } from './stemjoint/koos-form.js';
export { HLA_LOCI, hlaAllelePattern, type HlaLocus } from './stemjoint/hla-forms.js';
export { KNEE_SIDES, type KneeSide } from './stemjoint/exam-form.js';
export type { StemjointCodeListId } from './stemjoint/code-lists.js';
