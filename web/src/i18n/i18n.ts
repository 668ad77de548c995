/**
 * i18next set up for the two languages of the app. The choice is remembered in localStorage; the
 * first visit follows the browser (Danish when its language starts with "da", English otherwise).
 * The `<html lang>` attribute follows the language so screen readers pronounce the page correctly.
 */
import i18next from 'i18next';
import { da } from './da.js';
import { en } from './en.js';
import type { TranslationKey } from './translation-keys.js';

export const LANGUAGES = ['da', 'en'] as const;
/** A language the app is translated into. */
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in that language, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = { da: 'Dansk', en: 'English' };

/** BCP 47 locales for dates and numbers. */
export const LOCALES: Record<Language, string> = { da: 'da-DK', en: 'en-GB' };

const STORAGE_KEY = 'stemjoint.language';

const isLanguage = (value: unknown): value is Language => (LANGUAGES as readonly unknown[]).includes(value);

/** The remembered choice, else the browser's language. */
export function detectLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be unavailable (privacy settings); fall back to the browser language.
  }
  return (navigator.language || '').toLowerCase().startsWith('da') ? 'da' : 'en';
}

/** The app's i18next instance (its own, so nothing else on the page can reconfigure it). */
export const i18n = i18next.createInstance();

/** Initializes i18next synchronously (the resources are bundled) and sets `<html lang>`. */
export function initI18n(language: Language = detectLanguage()): void {
  void i18n.init({
    resources: { en: { translation: en }, da: { translation: da } },
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    // React escapes text itself; escaping here would show "&amp;" on screen.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = language;
}

/** The current language. */
export const currentLanguage = (): Language => (isLanguage(i18n.language) ? i18n.language : 'en');

/** Switches language, remembers the choice and updates `<html lang>`. */
export function changeLanguage(language: Language): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Not remembered, but the switch itself still works for this visit.
  }
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}

/** Translates `key` in the current language. */
export function translate(key: TranslationKey, values?: Record<string, string | number>): string {
  return String(i18n.t(key, values));
}
