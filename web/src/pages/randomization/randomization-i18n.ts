/** The blinded randomization pages' translation hook (namespace `randomization`). */
import { definePageStrings } from './page-strings.js';
import { randomizationDa } from './strings-da.js';
import { randomizationEn } from './strings-en.js';

/** `pt` takes the keys of `strings-en.ts`, e.g. `randomize.confirm`. */
export const useRandomizationStrings = definePageStrings('randomization', randomizationEn, randomizationDa);

/** The randomization strings' type, for helpers that take `pt` as an argument. */
export type RandomizationStrings = typeof randomizationEn;
