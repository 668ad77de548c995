/** A polite "Loading…" placeholder for pages and sections waiting for data. */
import { useTranslation } from '../i18n/use-translation.js';

/** Shows the loading text as a status message. */
export function Loading() {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}
