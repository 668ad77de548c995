/** The cell-laboratory pages' translation hook (namespace `pharmacy`). */
import { definePageStrings } from '../randomization/page-strings.js';
import { pharmacyDa } from './strings-da.js';
import { pharmacyEn } from './strings-en.js';

/** `pt` takes the keys of `strings-en.ts`, e.g. `lots.release.title`. */
export const usePharmacyStrings = definePageStrings('pharmacy', pharmacyEn, pharmacyDa);

/** The pharmacy strings' type, for helpers that take `pt` as an argument. */
export type PharmacyStrings = typeof pharmacyEn;
