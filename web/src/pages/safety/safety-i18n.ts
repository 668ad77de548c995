/** The safety pages' translation hook (namespace `safety`). */
import { definePageStrings } from '../randomization/page-strings.js';
import { safetyDa } from './strings-da.js';
import { safetyEn } from './strings-en.js';

/** `pt` takes the keys of `strings-en.ts`, e.g. `case.clocks.sponsor_report`. */
export const useSafetyStrings = definePageStrings('safety', safetyEn, safetyDa);

/** The safety strings' type, for helpers that take `pt` as an argument. */
export type SafetyStrings = typeof safetyEn;
