/**
 * Translations of the eCRF pages (calendar, casebook, form entry, queries, monitoring). Their
 * strings are registered with the app's i18next instance (namespace `ecrf`) when this lazily
 * loaded chunk first runs, so the shell does not carry them; `useEcrfTranslation()` is the pages'
 * typed `et`, and `pick()` chooses the current language of a protocol text (`{ da, en }`).
 */
import { useCallback } from 'react';
import { i18n } from '../../i18n/i18n.js';
import { useTranslation, type TranslationApi } from '../../i18n/use-translation.js';
import type { Localized } from '../../api/ecrf-api.js';
import type { EcrfKey } from './ecrf-i18n-types.js';
import { ecrfDa } from './strings-da.js';
import { ecrfEn } from './strings-en.js';

const NAMESPACE = 'ecrf';

i18n.addResourceBundle('en', NAMESPACE, ecrfEn, true, true);
i18n.addResourceBundle('da', NAMESPACE, ecrfDa, true, true);

/** Translates an eCRF key in the current language. */
export type EcrfT = (key: EcrfKey, values?: Record<string, string | number>) => string;

/** The shell's translation API plus the eCRF pages' own `et` and `pick`. */
export interface EcrfTranslationApi extends TranslationApi {
  et: EcrfT;
  /** The current language's version of a protocol text. */
  pick: (text: Localized) => string;
}

/** Translation for the eCRF pages; components re-render when the language changes. */
export function useEcrfTranslation(): EcrfTranslationApi {
  const shell = useTranslation();
  const { language } = shell;
  // New functions per language so memoized children that depend on them re-render too.
  const et = useCallback<EcrfT>(
    (key, values) => String(i18n.t(key, { ns: NAMESPACE, lng: language, ...values })),
    [language],
  );
  const pick = useCallback((text: Localized) => (language === 'da' ? text.da : text.en), [language]);
  return { ...shell, et, pick };
}
