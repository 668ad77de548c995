/** "Skip to main content": the first focusable element, visible only when focused. */
import type { MouseEvent } from 'react';
import { useTranslation } from '../i18n/use-translation.js';

/** Moves focus to `<main id="main">` without touching the URL. */
export function SkipLink() {
  const { t } = useTranslation();
  const skip = (e: MouseEvent<HTMLAnchorElement>): void => {
    e.preventDefault();
    document.getElementById('main')?.focus();
  };
  return (
    <a className="skip-link" href="#main" onClick={skip}>
      {t('app.skipToContent')}
    </a>
  );
}
