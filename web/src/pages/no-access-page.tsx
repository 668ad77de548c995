/** Shown when the user's roles do not allow the page at this path. */
import { Link } from '../app/link.js';
import { PageHeading } from '../components/page-heading.js';
import { useTranslation } from '../i18n/use-translation.js';

/** "No access" with a way back. */
export function NoAccessPage() {
  const { t } = useTranslation();
  return (
    <section className="card">
      <PageHeading>{t('noAccess.title')}</PageHeading>
      <p>{t('noAccess.text')}</p>
      <p>
        <Link href="/" className="button button--secondary">
          {t('notFound.back')}
        </Link>
      </p>
    </section>
  );
}
