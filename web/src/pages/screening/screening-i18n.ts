/**
 * Translations of the screening and participant pages. Their strings are registered with the
 * app's i18next instance (namespace `screening`) when this lazily loaded chunk first runs, so the
 * shell does not carry them; `useScreeningTranslation()` is the pages' typed `t`.
 */
import { useCallback } from 'react';
import { i18n } from '../../i18n/i18n.js';
import { useTranslation, type TranslationApi } from '../../i18n/use-translation.js';
import type { ScreeningKey } from './screening-i18n-types.js';
import { screeningDa } from './strings-da.js';
import { screeningEn } from './strings-en.js';

const NAMESPACE = 'screening';

i18n.addResourceBundle('en', NAMESPACE, screeningEn, true, true);
i18n.addResourceBundle('da', NAMESPACE, screeningDa, true, true);

/** Translates a screening key in the current language. */
export type ScreeningT = (key: ScreeningKey, values?: Record<string, string | number>) => string;

/** The shell's translation API plus `st`, the screening pages' own typed translation function. */
export interface ScreeningTranslationApi extends TranslationApi {
  st: ScreeningT;
}

/** Translation for the screening pages; components re-render when the language changes. */
export function useScreeningTranslation(): ScreeningTranslationApi {
  const shell = useTranslation();
  const { language } = shell;
  // A new function per language so memoized children that depend on it re-render too.
  const st = useCallback<ScreeningT>(
    (key, values) => String(i18n.t(key, { ns: NAMESPACE, lng: language, ...values })),
    [language],
  );
  return { ...shell, st };
}
