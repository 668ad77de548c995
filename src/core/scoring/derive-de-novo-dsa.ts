/**
 * De novo donor-specific anti-HLA antibody (DSA) at M3 (spec §6, data dictionary §5): an antibody
 * that is donor-specific and positive at M3 and was negative at baseline. Potentially unblinding:
 * only cell recipients can develop one, so callers must respect the protocol's visibility rules.
 */

/** One single-antigen-bead result of an anti-HLA antibody screen. */
export interface HlaAntibodyResult {
  /** Bead specificity, e.g. `A*02:01` or `DQ7`. Compared exactly. */
  beadSpecificity: string;
  /** Positive by the laboratory's cut-off. */
  positive: boolean;
  /** Directed against an antigen of the donor that the participant lacks. */
  isDonorSpecific: boolean;
}

/**
 * True when some donor-specific antibody is positive at M3 and the same specificity was tested
 * negative at baseline; false when no donor-specific antibody is positive at M3, or every positive
 * one was already positive at baseline (pre-formed, not de novo); null when it cannot be decided
 * (a sample is missing, or a positive specificity was not tested at baseline).
 */
export function deriveDeNovoDsa(
  baseline: readonly HlaAntibodyResult[] | null | undefined,
  month3: readonly HlaAntibodyResult[] | null | undefined,
): boolean | null {
  if (!month3) return null;
  const positiveDsa = month3.filter((r) => r.isDonorSpecific && r.positive);
  if (positiveDsa.length === 0) return false;
  if (!baseline) return null;
  let undecided = false;
  for (const m3 of positiveDsa) {
    const before = baseline.filter((r) => r.beadSpecificity === m3.beadSpecificity);
    if (before.length === 0) undecided = true;
    else if (before.every((r) => !r.positive)) return true;
  }
  return undecided ? null : false;
}
