/**
 * The safety tables by arm with Fisher's exact test. The route requires `safety.tables.by_arm`
 * (DSMB; the statistician after database lock, which the server checks and explains when refused).
 */
import { fetchByArmTables } from '../api/safety-api.js';
import { Link } from '../app/link.js';
import { Alert } from '../components/alert.js';
import { Loading } from '../components/loading.js';
import { describeError } from '../lib/error-messages.js';
import { useAsync } from '../lib/use-async.js';
import { formatCph } from './randomization/trial-format.js';
import { IncidenceTables } from './safety/incidence-tables.js';
import { SafetyFrame } from './safety/safety-frame.js';
import { useSafetyStrings } from './safety/safety-i18n.js';
import './randomization/trial-pages.css';

/** The by-arm tables page. */
export default function SafetyTablesByArmPage() {
  const { pt, t, locale } = useSafetyStrings();
  const { state } = useAsync(fetchByArmTables);
  return (
    <SafetyFrame
      title={pt('tables.byArmTitle')}
      actions={
        <Link href="/safety/tables" className="button button--secondary">
          {pt('tables.title')}
        </Link>
      }
    >
      <p className="tp-intro muted">{pt('tables.byArmIntro')}</p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert tone="error">{describeError(t, state.error)}</Alert> : null}
      {state.status === 'ready' ? (
        <>
          <p>
            {pt('tables.generated', {
              time: formatCph(state.data.generatedAt, locale),
              population: pt(`tables.population.${state.data.population}`),
              n: state.data.byArm.groups.reduce((n, g) => n + g.table.participants, 0),
            })}
          </p>
          <IncidenceTables
            groups={state.data.byArm.groups.map((g) => ({ label: g.label, table: g.table }))}
            comparisons={state.data.byArm.comparisons}
          />
        </>
      ) : null}
    </SafetyFrame>
  );
}
