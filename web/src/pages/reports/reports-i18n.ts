/** The report pages' translation hook (namespace `reports`). */
import { definePageStrings } from '../randomization/page-strings.js';
import { reportsDa } from './strings-da.js';
import { reportsEn } from './strings-en.js';

/** `pt` takes the keys of `strings-en.ts`, e.g. `dashboard.enrolment.title`. */
export const useReportsStrings = definePageStrings('reports', reportsEn, reportsDa);

/** The report strings' type, for helpers that take `pt` as an argument. */
export type ReportsStrings = typeof reportsEn;
