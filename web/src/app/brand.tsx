/** The product name and tagline in the top bar. */
import { useTranslation } from '../i18n/use-translation.js';

/** Brand block: a mark, the product name and the tagline. */
export function Brand() {
  const { t } = useTranslation();
  return (
    <div className="brand">
      <span className="brand__mark" aria-hidden="true" />
      <span className="brand__text">
        <span className="brand__name">{t('app.name')}</span>
        <span className="brand__tagline">{t('app.tagline')}</span>
      </span>
    </div>
  );
}
