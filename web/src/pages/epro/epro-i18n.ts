/** The staff ePRO pages' translation hook (namespace `epro`). */
import { definePageStrings } from '../randomization/page-strings.js';
import { eproDa } from './strings-da.js';
import { eproEn } from './strings-en.js';

/** `pt` takes the keys of `strings-en.ts`, e.g. `participant.diary.states.missed`. */
export const useEproStrings = definePageStrings('epro', eproEn, eproDa);

/** The ePRO strings' type, for helpers that take `pt` as an argument. */
export type EproStrings = typeof eproEn;
