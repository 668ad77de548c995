/** The participant page's short ePRO section: one link to the participant's ePRO page. */
import { Link } from '../../app/link.js';
import { useEproStrings } from './epro-i18n.js';

/** Props of EproLinkSection. */
export interface EproLinkSectionProps {
  participantId: string;
  studyId: string;
}

/** A card with a link to `/participants/:id/epro`. */
export function EproLinkSection({ participantId, studyId }: EproLinkSectionProps) {
  const { pt } = useEproStrings();
  return (
    <section className="card sc-section" aria-labelledby="participant-epro">
      <h2 id="participant-epro" className="card__title">
        {pt('link.title')}
      </h2>
      <p>{pt('link.intro')}</p>
      <div className="form__actions">
        <Link href={`/participants/${encodeURIComponent(participantId)}/epro`} className="button button--secondary">
          {pt('link.open', { studyId })}
        </Link>
      </div>
    </section>
  );
}
