/** Shown for a path that matches no route. */
import { Link } from '../app/link.js';
import { PageHeading } from '../components/page-heading.js';
import { useTranslation } from '../i18n/use-translation.js';

/** "Page not found" with a way back. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <section className="card">
      <PageHeading>{t('notFound.title')}</PageHeading>
      <p>{t('notFound.text')}</p>
      <p>
        <Link href="/" className="button button--secondary">
          {t('notFound.back')}
        </Link>
      </p>
    </section>
  );
}
