/** Types derived from the English strings: the shape every language must have, and the valid keys. */
import type { en } from './en.js';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** The structure every translation file must match (same keys as English, any string values). */
export type Translations = Shape<typeof en>;

// i18next resolves `key` to `key_one` / `key_other` by count, so callers name the bare key.
type StripPlural<K extends string> = K extends `${infer Base}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}`
  ? Base
  : K;

type Leaves<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${StripPlural<K>}` : Leaves<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Every dotted key `t()` accepts, e.g. `signIn.errors.invalidCredentials`. */
export type TranslationKey = Leaves<typeof en>;
