/**
 * Readiness problems in the user's language. The server names each unmet requirement by a stable
 * path (`signOff`, `consent`, `baseline`, …) with an English message; the path picks the sentence
 * and the few details worth showing (missing forms, the consent version) are taken from the message.
 */
import type { Issue } from '../../api/randomization-api.js';
import type { PageT } from './page-strings.js';
import type { RandomizationStrings } from './randomization-i18n.js';

const FORMS = ['koos', 'nrs', 'clinical_exam'] as const;
const isForm = (f: string): f is (typeof FORMS)[number] => (FORMS as readonly string[]).includes(f);

/** One readiness problem as a sentence. */
export function describeReadinessProblem(pt: PageT<RandomizationStrings>, problem: Issue): string {
  switch (problem.path) {
    case 'status':
      return pt('problems.status', { message: problem.message });
    case 'eligibility':
      return pt('problems.eligibility');
    case 'signOff':
      return pt('problems.signOff');
    case 'allocationList':
      return pt('problems.allocationList');
    case 'consent': {
      const version = /re-consent to version (\S+)/.exec(problem.message)?.[1];
      return version ? pt('problems.reconsent', { version }) : pt('problems.consent');
    }
    case 'baseline': {
      const missing = /missing: ([^)]*)\)/.exec(problem.message)?.[1];
      const forms = (missing ?? '')
        .split(',')
        .map((f) => f.trim())
        .filter((f) => f !== '' && f !== 'unspecified');
      if (forms.length === 0) return pt('problems.baselineUnspecified');
      return pt('problems.baseline', {
        forms: forms.map((f) => (isForm(f) ? pt(`problems.forms.${f}`) : f)).join(', '),
      });
    }
    case 'stratum':
      return pt('problems.stratum', { message: problem.message });
    default:
      return pt('problems.other', { message: problem.message });
  }
}

/** "Kellgren–Lawrence grade 2" for the stratum `KL2`; other names unchanged. */
export function stratumLabel(pt: PageT<RandomizationStrings>, stratum: string | null): string {
  if (stratum === null) return '—';
  const m = /^KL(\d)$/.exec(stratum);
  return m ? pt('list.stratumName', { grade: m[1] ?? '' }) : stratum;
}
