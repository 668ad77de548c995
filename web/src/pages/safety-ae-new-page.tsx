/**
 * Recording an adverse event: for a participant chosen here, for the one in `?participant=`, or for
 * the participant of the review task in `?task=` (which the recording then resolves). A serious
 * event lands on its new SAE case page with the 24-hour clock; any other on the AE's page.
 */
import { listParticipants } from '../api/screening-api.js';
import {
  createAdverseEvent,
  fetchReviewTask,
  recordAeFromReviewTask,
  type AeDetail,
  type ReviewTask,
} from '../api/safety-api.js';
import { navigate } from '../app/router.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { canAnywhere, canAtSite } from './randomization/site-access.js';
import { AeForm } from './safety/ae-form.js';
import { emptyDraft, type BuiltAe } from './safety/ae-form-model.js';
import { setFlash } from './safety/flash.js';
import { SafetyFrame } from './safety/safety-frame.js';
import { useSafetyStrings } from './safety/safety-i18n.js';
import './randomization/trial-pages.css';

interface Loaded {
  participants: { id: string; studyId: string; siteId: string }[];
  task: ReviewTask | null;
}

/** The new-AE page. */
export default function SafetyAeNewPage() {
  const { pt, t } = useSafetyStrings();
  const { session } = useSignedIn();
  const grants = session.user.grants;
  const query = new URLSearchParams(window.location.search);
  const taskId = query.get('task');
  const preset = query.get('participant') ?? '';
  const { state } = useAsync<Loaded>(async () => {
    if (taskId) {
      const task = await fetchReviewTask(taskId);
      return { participants: [{ id: task.participantId, studyId: task.studyId, siteId: task.siteId }], task };
    }
    const all = await listParticipants();
    return {
      participants: all
        .filter((p) => canAtSite(grants, 'safety.ae.write', p.siteId))
        .map((p) => ({ id: p.id, studyId: p.studyId, siteId: p.siteId })),
      task: null,
    };
  });

  if (state.status !== 'ready') {
    return (
      <SafetyFrame title={pt('form.newTitle')}>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </SafetyFrame>
    );
  }
  const { participants, task } = state.data;
  const fixed = task ? participants[0] : undefined;

  const finish = (ae: AeDetail): void => {
    if (ae.serious && ae.caseId) {
      setFlash(pt('form.savedSerious', { ae: ae.aeNumber, case: ae.caseNumber ?? '' }));
      navigate(`/safety/cases/${encodeURIComponent(ae.caseId)}`);
    } else {
      setFlash(pt('form.saved', { ae: ae.aeNumber }));
      navigate(`/safety/adverse-events/${encodeURIComponent(ae.id)}`);
    }
  };

  const submit = async (built: BuiltAe): Promise<void> => {
    const { meddra, ...record } = built.record;
    const body = {
      ...record,
      ...(meddra === null ? {} : { meddra }),
      siteAwarenessAt: built.siteAwarenessAt,
      ...(built.seriousAwarenessAt ? { seriousAwarenessAt: built.seriousAwarenessAt } : {}),
    };
    if (task) finish((await recordAeFromReviewTask(task.id, body)).adverseEvent);
    else finish(await createAdverseEvent({ participantId: built.participantId, ...body }));
  };

  const initial = emptyDraft(fixed?.id ?? (participants.some((p) => p.id === preset) ? preset : ''));
  return (
    <SafetyFrame title={task ? pt('form.newFromTask', { task: task.taskNumber }) : pt('form.newTitle')}>
      <p className="tp-intro muted">{pt('form.intro')}</p>
      {task ? (
        <p className="tp-callout">
          {pt(`tasks.sources.${task.source}`)}: {task.summary}
        </p>
      ) : null}
      <AeForm
        mode="new"
        initial={initial}
        {...(fixed ? { fixedStudyId: fixed.studyId } : { participants })}
        mayAssess={canAnywhere(grants, 'safety.ae.assess')}
        submitLabel={pt('form.save')}
        onSubmit={submit}
        onCancel={() => window.history.back()}
      />
    </SafetyFrame>
  );
}
