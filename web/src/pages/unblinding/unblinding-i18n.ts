/** The emergency-unblinding pages' translation hook (namespace `unblinding`). */
import { definePageStrings } from '../randomization/page-strings.js';
import { unblindingDa } from './strings-da.js';
import { unblindingEn } from './strings-en.js';

/** `pt` takes the keys of `strings-en.ts`, e.g. `reveal.warning`. */
export const useUnblindingStrings = definePageStrings('unblinding', unblindingEn, unblindingDa);
