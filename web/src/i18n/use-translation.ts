/** React binding for the i18n module: re-renders on a language switch. */
import { useCallback, useSyncExternalStore } from 'react';
import { changeLanguage, currentLanguage, i18n, LOCALES, translate, type Language } from './i18n.js';
import type { TranslationKey } from './translation-keys.js';

function subscribe(onChange: () => void): () => void {
  i18n.on('languageChanged', onChange);
  return () => i18n.off('languageChanged', onChange);
}

/** What components need to show text: `t`, the language, its locale, and the switch. */
export interface TranslationApi {
  t: (key: TranslationKey, values?: Record<string, string | number>) => string;
  language: Language;
  locale: string;
  setLanguage: (language: Language) => void;
}

/** Translation function bound to the current language; components re-render when it changes. */
export function useTranslation(): TranslationApi {
  const language = useSyncExternalStore(subscribe, currentLanguage);
  // A new `t` per language so memoized children that depend on it re-render too.
  const t = useCallback(
    (key: TranslationKey, values?: Record<string, string | number>) => translate(key, values),
    [language],
  );
  return { t, language, locale: LOCALES[language], setLanguage: changeLanguage };
}
