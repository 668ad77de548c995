/**
 * The treatment revealed by the user's own emergency unblinding, shown again. The route requires
 * the investigator's `unblinding.emergency` operation and the server answers only the investigator
 * who requested this unblinding; each view is audited.
 */
import { fetchUnblindingArm } from '../api/randomization-api.js';
import { Link } from '../app/link.js';
import type { PageProps } from '../app/routes.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { PageHeading } from '../components/page-heading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { RevealedArmPanel } from './unblinding/revealed-arm.js';
import { useUnblindingStrings } from './unblinding/unblinding-i18n.js';
import './randomization/trial-pages.css';

/** The page. */
export default function UnblindingArmPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { pt, t } = useUnblindingStrings();
  const { state } = useAsync(() => fetchUnblindingArm(id));
  const back = (
    <Link href="/unblinding" className="button button--secondary">
      {pt('request.back')}
    </Link>
  );
  return (
    <>
      <PageHeading actions={back}>{pt('arm.loadingTitle')}</PageHeading>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? <RevealedArmPanel revealed={state.data} fresh={false} /> : null}
    </>
  );
}
