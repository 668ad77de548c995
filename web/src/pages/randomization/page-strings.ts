/**
 * Page-local translations for the randomization, unblinding, pharmacy and safety pages. Each page
 * family keeps its strings in its own `strings-en.ts` / `strings-da.ts`, registered with the app's
 * i18next instance under its own namespace when the lazily loaded chunk first runs, so the shell
 * carries none of them. `definePageStrings` returns the family's typed translation hook.
 */
import { useCallback } from 'react';
import { i18n } from '../../i18n/i18n.js';
import { useTranslation, type TranslationApi } from '../../i18n/use-translation.js';

/** The structure another language must match: the same keys as English, any string values. */
export type StringsShape<T> = { [K in keyof T]: T[K] extends string ? string : StringsShape<T[K]> };

// i18next picks `key_one` / `key_other` by count, so callers name the bare key.
type StripPlural<K extends string> = K extends `${infer Base}_${'zero' | 'one' | 'two' | 'few' | 'many' | 'other'}`
  ? Base
  : K;

/** Every dotted key of a strings object, e.g. `list.columns.kit`. */
export type StringKey<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${StripPlural<K>}` : StringKey<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** A typed translation function of one page family. */
export type PageT<T> = (key: StringKey<T>, values?: Record<string, string | number>) => string;

/** The shell's translation API plus `pt`, the page family's own typed translation function. */
export interface PageTranslationApi<T> extends TranslationApi {
  pt: PageT<T>;
}

/**
 * Registers a page family's strings under `namespace` and returns its translation hook. Called
 * at module level of the family's strings module, so registration happens once per chunk load.
 */
export function definePageStrings<T extends object>(
  namespace: string,
  en: T,
  da: StringsShape<T>,
): () => PageTranslationApi<T> {
  i18n.addResourceBundle('en', namespace, en, true, true);
  i18n.addResourceBundle('da', namespace, da, true, true);
  return function usePageTranslation(): PageTranslationApi<T> {
    const shell = useTranslation();
    const { language } = shell;
    // A new function per language so memoized children that depend on it re-render too.
    const pt = useCallback<PageT<T>>(
      (key, values) => String(i18n.t(key, { ns: namespace, lng: language, ...values })),
      [language],
    );
    return { ...shell, pt };
  };
}
