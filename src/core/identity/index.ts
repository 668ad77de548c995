/** Participant identity helpers (spec §9): CPR parsing. */
export * from './parse-cpr.js';
