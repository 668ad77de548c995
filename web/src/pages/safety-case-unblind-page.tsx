/**
 * The per-case unblinding a SUSAR classification needs: the sponsor's designated safety physician
 * states a reason and signs, and the treatment of this one participant is shown to them alone, for
 * this case. The route requires `safety.susar.unblind`; the server also requires the designation,
 * a possible SUSAR, and (to see it again) that this physician is the one who unblinded.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { fetchCaseArm, fetchSaeCase, unblindCaseForSusar, type CaseArm, type SaeCase } from '../api/safety-api.js';
import { isApiError } from '../api/client.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { Alert } from '../components/alert.js';
import { TextAreaField } from '../components/field.js';
import { Loading } from '../components/loading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { SignatureDialog } from './randomization/signature-dialog.js';
import { formatCph } from './randomization/trial-format.js';
import { SafetyFrame } from './safety/safety-frame.js';
import { useSafetyStrings } from './safety/safety-i18n.js';
import './randomization/trial-pages.css';

function ArmPanel({ arm }: { arm: CaseArm }) {
  const { pt, locale } = useSafetyStrings();
  return (
    <section className="tp-reveal" aria-labelledby="case-arm-title" data-revealed-arm>
      <h2 id="case-arm-title" className="tp-section__title">
        {arm.caseNumber} · {arm.studyId}
      </h2>
      <p className="tp-reveal__warning" role="alert">
        ⚠ {pt('susarUnblind.warning')}
      </p>
      <p className="tp-sub">{pt('susarUnblind.treatment')}</p>
      <p className="tp-reveal__arm" data-arm={arm.arm ?? ''}>
        {arm.arm ? pt(`susarUnblind.arms.${arm.arm}`) : pt('susarUnblind.unknown')}
      </p>
      <p className="tp-reveal__meta">
        {pt('susarUnblind.meta', { date: formatCph(arm.unblindedAt, locale), by: arm.unblindedBy })}
      </p>
    </section>
  );
}

/** The page. */
export default function SafetyCaseUnblindPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { pt, t } = useSafetyStrings();
  const { state } = useAsync<{ sae: SaeCase; arm: CaseArm | null; armError: unknown }>(async () => {
    const sae = await fetchSaeCase(id);
    if (!sae.unblinding) return { sae, arm: null, armError: null };
    try {
      return { sae, arm: await fetchCaseArm(id), armError: null };
    } catch (err) {
      return { sae, arm: null, armError: err };
    }
  });
  const [arm, setArm] = useState<CaseArm | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [signing, setSigning] = useState(false);

  useEffect(() => {
    if (state.status === 'ready' && state.data.arm) setArm(state.data.arm);
  }, [state]);

  const back = (
    <Link href={`/safety/cases/${encodeURIComponent(id)}`} className="button button--secondary">
      {pt('susarUnblind.back')}
    </Link>
  );
  if (state.status !== 'ready') {
    return (
      <SafetyFrame title={pt('susarUnblind.title')} actions={back}>
        {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : <Loading />}
      </SafetyFrame>
    );
  }
  const { sae, armError } = state.data;

  const proceed = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault();
    if (reason.trim() === '') {
      setReasonError(pt('errors.required'));
      document.getElementById('susar-unblind-reason')?.focus();
      return;
    }
    setError(null);
    setSigning(true);
  };

  return (
    <SafetyFrame title={pt('susarUnblind.title')} actions={back}>
      {arm ? (
        <ArmPanel arm={arm} />
      ) : sae.unblinding ? (
        <Alert tone="error">{describeError(t, armError)}</Alert>
      ) : (
        <>
          <p className="tp-intro tp-danger-note">{pt('susarUnblind.intro')}</p>
          {error ? (
            <Alert tone="error">
              {describeError(t, error)}
              {isApiError(error) && error.code === 'conflict' ? <span className="tp-sub">{error.message}</span> : null}
            </Alert>
          ) : null}
          <form className="form card tp-section" onSubmit={proceed} noValidate>
            <p>
              <strong>{sae.caseNumber}</strong> · <span className="tp-code">{sae.studyId}</span> · {sae.verbatimTerm}
            </p>
            <TextAreaField
              id="susar-unblind-reason"
              label={pt('susarUnblind.reason')}
              value={reason}
              maxLength={1000}
              onChange={(e) => {
                setReason(e.target.value);
                setReasonError(undefined);
              }}
              error={reasonError}
            />
            <div className="form__actions">
              <button type="submit" className="button button--danger">
                {pt('susarUnblind.continue')}
              </button>
            </div>
          </form>
        </>
      )}
      {signing ? (
        <SignatureDialog
          title={pt('susarUnblind.signTitle')}
          statement={pt('susarUnblind.statement', {
            studyId: sae.studyId,
            case: sae.caseNumber,
            reason: reason.trim(),
          })}
          meaning="responsibility"
          signLabel={pt('susarUnblind.sign')}
          danger
          onClose={() => setSigning(false)}
          onSign={async (password) => {
            const revealed = await unblindCaseForSusar(sae.id, reason.trim(), password);
            setSigning(false);
            setArm(revealed);
          }}
          onRefused={(err) => {
            setSigning(false);
            setError(err);
          }}
        />
      ) : null}
    </SafetyFrame>
  );
}
