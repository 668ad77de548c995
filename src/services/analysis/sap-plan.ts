/**
 * The analysis plan as data, read from the protocol definition (spec §8; `outcomes` of the protocol):
 * which variables are analysed, from which form and item, at which visits, by which method. Pure.
 *
 * - Continuous outcomes whose SAP method is `mmrm_change_from_baseline` give one variable per numeric
 *   item (KOOS: every subscale, Symptoms first and primary; qMRI: every numeric item). Items recorded
 *   for both knees (`right_…`/`left_…`) become one index-knee variable. Measurement settings (the
 *   distance of the thigh tape above the patella) are not outcomes.
 * - Effusion (`logistic_regression`): the index knee's derived effusion at each examination visit.
 * - De novo DSA (`dsa_incidence`) at the visit the plan names (M3).
 * - Adverse events (`ae_incidence`).
 */
import type { ProtocolDefinition } from '../../core/protocol/definition-types.js';
import { findForm, findItem } from '../../core/protocol/protocol-queries.js';

/** A continuous variable analysed as change from baseline. */
export interface ContinuousVariable {
  /** Variable id (`koos_symptoms`, `flexion_deg`, `thk_mt_mm`). */
  readonly id: string;
  readonly outcomeId: string;
  readonly label: string;
  readonly unit: string | null;
  readonly form: string;
  /** The item, or for knee items the item without the side prefix (`flexion_deg`). */
  readonly item: string;
  /** Recorded per knee: the value is read from `${indexKnee}_${item}`. */
  readonly perKnee: boolean;
  readonly baselineVisit: string;
  /** Post-baseline visits, in schedule order. */
  readonly visits: readonly string[];
  /** The registered primary variable (KOOS Symptoms). */
  readonly primary: boolean;
}

/** The plan: variables, visits and fixed choices of the analyses. */
export interface SapPlan {
  readonly protocolVersion: string;
  readonly arms: { readonly treatment: string; readonly control: string };
  readonly continuous: readonly ContinuousVariable[];
  readonly effusion: {
    readonly form: string;
    readonly item: string;
    readonly baselineVisit: string;
    readonly visits: readonly string[];
  } | null;
  readonly dsa: { readonly form: string; readonly item: string; readonly visit: string } | null;
  /** Visit of the primary contrast and of the ANCOVA sensitivity analysis (**default** M12). */
  readonly primaryVisit: string;
  readonly ancovaVisit: string;
  readonly confidenceLevel: number;
}

/** Items of these ids are measurement settings, never outcomes. */
const SETTINGS = new Set(['thigh_distance_cm']);
const SIDE = /^(right|left)_/;
const PRIMARY_OUTCOME = 'koos_symptoms';

/** Where the KOOS subscale scores live (derived items of the KOOS form). */
const KOOS_SUBSCALE_ITEMS = ['koos_symptoms', 'koos_pain', 'koos_adl', 'koos_sport', 'koos_qol'];

/** Builds the plan from the protocol's outcome definitions. */
export function buildSapPlan(
  protocol: ProtocolDefinition,
  opts: { primaryVisit?: string; ancovaVisit?: string } = {},
): SapPlan {
  const continuous: ContinuousVariable[] = [];
  let effusion: SapPlan['effusion'] = null;
  let dsa: SapPlan['dsa'] = null;
  let arms = { treatment: 'ADMSC', control: 'SALINE' };
  let confidenceLevel = 0.95;
  const seen = new Set<string>();
  for (const outcome of protocol.outcomes) {
    const method = outcome.analysis.method;
    const baselineVisit = outcome.baselineVisit ?? 'BL';
    const visits = outcome.visits.filter((v) => v !== baselineVisit && v !== 'D');
    if (outcome.analysis.contrast) {
      arms = { treatment: outcome.analysis.contrast.active, control: outcome.analysis.contrast.control };
    }
    if (outcome.analysis.confidenceLevel) confidenceLevel = outcome.analysis.confidenceLevel;
    if (method === 'mmrm_change_from_baseline') {
      for (const ref of outcome.data) {
        const form = findForm(protocol, ref.form);
        if (!form) continue;
        const items = ref.form === 'koos' ? [...new Set([...ref.items, ...KOOS_SUBSCALE_ITEMS])] : ref.items;
        for (const itemId of items) {
          const item = findItem(form, itemId);
          if (!item || (item.type !== 'decimal' && item.type !== 'integer')) continue;
          const perKnee = SIDE.test(itemId);
          const id = perKnee ? itemId.replace(SIDE, '') : itemId;
          if (SETTINGS.has(id) || seen.has(id)) continue;
          seen.add(id);
          const label = perKnee ? item.label.en.replace(/\b(right|left)\b/, 'index') : item.label.en;
          const unit = item.unit?.display ?? outcome.unit ?? null;
          continuous.push({
            id,
            outcomeId: outcome.id,
            label,
            unit,
            form: ref.form,
            item: id,
            perKnee,
            baselineVisit,
            visits,
            primary: id === PRIMARY_OUTCOME,
          });
        }
      }
    } else if (method === 'logistic_regression') {
      const ref = outcome.data[0];
      if (ref) {
        effusion = {
          form: ref.form,
          item: (ref.items[0] ?? 'right_effusion').replace(SIDE, ''),
          baselineVisit,
          visits,
        };
      }
    } else if (method === 'dsa_incidence') {
      const params = outcome.analysis.params as { visit?: string } | undefined;
      dsa = { form: 'hla_antibody', item: 'de_novo_dsa', visit: params?.visit ?? 'M3' };
    }
  }
  // The primary variable first, then the plan's order.
  continuous.sort((a, b) => Number(b.primary) - Number(a.primary));
  return {
    protocolVersion: protocol.version,
    arms,
    continuous,
    effusion,
    dsa,
    primaryVisit: opts.primaryVisit ?? 'M12',
    ancovaVisit: opts.ancovaVisit ?? 'M12',
    confidenceLevel,
  };
}
