/**
 * One participant's ePRO for site staff (`/participants/:id/epro`): access (enrol / send code,
 * reset, revoke, the one-time code shown once), the 30-day pain diary and the KOOS/NRS scores.
 */
import { fetchParticipantEpro, type ParticipantEpro } from '../../api/epro-api.js';
import { Link } from '../../app/link.js';
import type { PageProps } from '../../app/routes.js';
import { useSignedIn } from '../../app/session.js';
import { Alert } from '../../components/alert.js';
import { Loading } from '../../components/loading.js';
import { PageHeading } from '../../components/page-heading.js';
import { describeError } from '../../lib/error-messages.js';
import { useAsync } from '../../lib/use-async.js';
import { canAnywhere } from '../randomization/site-access.js';
import { AccessPanel } from './access-panel.js';
import { DiaryTable, VisitScores } from './diary-and-scores.js';
import { useEproStrings } from './epro-i18n.js';
import '../randomization/trial-pages.css';

/** The participant's ePRO page. */
export default function ParticipantEproPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { pt, t } = useEproStrings();
  const { session } = useSignedIn();
  const { state, reload } = useAsync<ParticipantEpro>(() => fetchParticipantEpro(id));
  // The server checks the participant's site again; the grants only decide whether to offer the actions.
  const mayManage = canAnywhere(session.user.grants, 'epro.manage');
  const back = (
    <Link href={`/participants/${encodeURIComponent(id)}`} className="button button--secondary">
      {pt('participant.back')}
    </Link>
  );
  if (state.status !== 'ready') {
    return (
      <>
        <PageHeading actions={back}>{pt('participant.title', { studyId: '…' })}</PageHeading>
        {state.status === 'loading' ? <Loading /> : <Alert tone="error">{describeError(t, state.error)}</Alert>}
      </>
    );
  }
  const v = state.data;
  return (
    <>
      <PageHeading actions={back}>{pt('participant.title', { studyId: v.studyId })}</PageHeading>
      <AccessPanel access={v.access} studyId={v.studyId} mayManage={mayManage} onChanged={reload} />
      <DiaryTable day0={v.day0} diary={v.diary} compliance={v.compliance} />
      <VisitScores questionnaires={v.questionnaires} />
    </>
  );
}
