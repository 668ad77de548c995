import type { CodeListEntry } from '../definition-types.js';
import type { Unit } from '../item-types.js';
import type { LocalizedText } from '../localized-text.js';

/** Builds a Danish/English label. */
export function t(da: string, en: string): LocalizedText {
  return { da, en };
}

/** Builds text code-list entries from `[code, da, en]` rows. */
export function textCodes(rows: readonly (readonly [string, string, string])[]): CodeListEntry<string>[] {
  return rows.map(([code, da, en]) => ({ code, label: { da, en } }));
}

/** Builds integer code-list entries from `[code, da, en]` rows. */
export function integerCodes(rows: readonly (readonly [number, string, string])[]): CodeListEntry<number>[] {
  return rows.map(([code, da, en]) => ({ code, label: { da, en } }));
}

/** Units used by the STEMJOINT forms (UCUM code + display). */
export const UNITS = {
  cm: { ucum: 'cm', display: 'cm' },
  mm: { ucum: 'mm', display: 'mm' },
  mm3: { ucum: 'mm3', display: 'mm³' },
  kg: { ucum: 'kg', display: 'kg' },
  bmi: { ucum: 'kg/m2', display: 'kg/m²' },
  deg: { ucum: 'deg', display: '°' },
  months: { ucum: 'mo', display: 'mo' },
  years: { ucum: 'a', display: 'y' },
  day: { ucum: 'd', display: 'd' },
  ms: { ucum: 'ms', display: 'ms' },
  tesla: { ucum: 'T', display: 'T' },
  mL: { ucum: 'mL', display: 'mL' },
  mg: { ucum: 'mg', display: 'mg' },
  percent: { ucum: '%', display: '%' },
  score: { ucum: '{score}', display: 'points' },
  mfi: { ucum: '{MFI}', display: 'MFI' },
  millionCells: { ucum: '10*6{cells}', display: '×10⁶ cells' },
  endotoxin: { ucum: '[EU]/mL', display: 'EU/mL' },
  count: { ucum: '{count}', display: 'n' },
  drinksPerWeek: { ucum: '{drinks}/wk', display: 'units/week' },
} as const satisfies Record<string, Unit>;

/** The roles that may see unblinded product and potentially unblinding data during the trial. */
export const UNBLINDED_VIEWERS = ['unblinded_pharmacist', 'dsmb'] as const;
