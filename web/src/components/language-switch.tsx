/** Danish/English switch: two toggle buttons, each labelled in its own language. */
import { LANGUAGE_NAMES, LANGUAGES } from '../i18n/i18n.js';
import { useTranslation } from '../i18n/use-translation.js';

/** The language switcher shown in the top bar. */
export function LanguageSwitch() {
  const { t, language, setLanguage } = useTranslation();
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((lang) => (
        <button
          key={lang}
          type="button"
          lang={lang}
          className="language-switch__button"
          aria-pressed={language === lang}
          onClick={() => setLanguage(lang)}
        >
          <span className="language-switch__long">{LANGUAGE_NAMES[lang]}</span>
          <span className="language-switch__short" aria-hidden="true">
            {lang.toUpperCase()}
          </span>
        </button>
      ))}
    </div>
  );
}
