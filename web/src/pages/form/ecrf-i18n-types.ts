/** Types derived from the English eCRF strings: the shape Danish must match, and the valid keys. */
import type { ecrfEn } from './strings-en.js';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** The structure the Danish strings must match (same keys as English, any string values). */
export type EcrfStrings = Shape<typeof ecrfEn>;

// i18next picks `key_one` / `key_other` by count, so callers name the bare key.
type StripPlural<K extends string> = K extends `${infer Base}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}`
  ? Base
  : K;

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${StripPlural<K>}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every dotted key the eCRF pages' `et()` accepts, e.g. `form.saveDraft`. */
export type EcrfKey = Leaves<typeof ecrfEn>;
