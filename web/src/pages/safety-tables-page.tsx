/** The pooled safety tables (arms never shown): incidence overall, by worst grade, by SOC/PT, exposure-adjusted. */
import { fetchPooledTables } from '../api/safety-api.js';
import { Link } from '../app/link.js';
import { useSignedIn } from '../app/session.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { can } from '../../../src/core/authorization.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { formatCph } from './randomization/trial-format.js';
import { IncidenceTables } from './safety/incidence-tables.js';
import { SafetyFrame } from './safety/safety-frame.js';
import { useSafetyStrings } from './safety/safety-i18n.js';
import './randomization/trial-pages.css';

/** The pooled tables page. */
export default function SafetyTablesPage() {
  const { pt, t, locale } = useSafetyStrings();
  const { roles } = useSignedIn();
  const { state } = useAsync(fetchPooledTables);
  return (
    <SafetyFrame
      title={pt('tables.title')}
      actions={
        can(roles, 'safety.tables.by_arm') ? (
          <Link href="/safety/tables/by-arm" className="button button--secondary">
            {pt('tables.byArmLink')}
          </Link>
        ) : undefined
      }
    >
      <p className="tp-intro muted">{pt('tables.intro')}</p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? (
        <>
          <p>
            {pt('tables.generated', {
              time: formatCph(state.data.generatedAt, locale),
              population: pt(`tables.population.${state.data.population}`),
              n: state.data.pooled.participants,
            })}
          </p>
          <IncidenceTables groups={[{ label: pt('tables.allParticipants'), table: state.data.pooled }]} />
        </>
      ) : null}
    </SafetyFrame>
  );
}
