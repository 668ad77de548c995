import type { AnalysisDef, OutcomeDef } from '../definition-types.js';
import { itemsOf } from '../protocol-queries.js';
import { t } from './helpers.js';
import { mriMoaksForm, mriQuantForm } from './mri-forms.js';

const CONTRAST = { active: 'ADMSC', control: 'SALINE' } as const;
const FOLLOW_UP = ['BL', 'M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'] as const;
const IMAGING_EXAM = ['BL', 'M3', 'M12', 'M24'] as const;

/**
 * The default SAP analysis of continuous outcomes (spec §8): change from baseline by a mixed model
 * for repeated measures with visit, baseline × visit and arm × visit (plus stratification factors),
 * unstructured covariance, REML, Satterthwaite degrees of freedom (Kenward–Roger optional), per-visit
 * ADMSC − SALINE contrasts with 95% CI and p, least-squares means by arm and visit; ANCOVA at one
 * visit as sensitivity analysis.
 */
const MMRM: AnalysisDef = {
  method: 'mmrm_change_from_baseline',
  contrast: CONTRAST,
  confidenceLevel: 0.95,
  params: {
    response: 'change_from_baseline',
    fixedEffects: ['visit', 'baseline:visit', 'arm:visit', 'strata'],
    covariance: 'unstructured',
    estimation: 'REML',
    degreesOfFreedom: 'satterthwaite',
    degreesOfFreedomAlternatives: ['kenward_roger'],
    perVisitContrasts: true,
    leastSquaresMeans: true,
  },
  sensitivity: [
    {
      method: 'ancova_single_visit',
      description: t('ANCOVA ved ét besøg (justeret for baseline)', 'ANCOVA at a single visit (baseline-adjusted)'),
    },
  ],
  description: t(
    'Ændring fra baseline; mixed model for gentagne målinger (MMRM), kontrast ADMSC − SALINE pr. besøg.',
    'Change from baseline; mixed model for repeated measures (MMRM), ADMSC − SALINE contrast per visit.',
  ),
  basis: 'default',
};

const moaksItems = itemsOf(mriMoaksForm)
  .map((i) => i.id)
  .filter((id) => /^(cart_|bml_|ost_|hoffa_|effusion_|men_)/.test(id));
const qmriItems = itemsOf(mriQuantForm)
  .map((i) => i.id)
  .filter((id) => /^(thk_|vol_|t2_|t1rho_|stress_|strain_)/.test(id));

/**
 * The ten outcome measures of the registry record (NCT05933434), in registry order, each mapped to
 * the forms, items and visits that supply it and to its SAP analysis. Ranges of motion, effusion
 * and circumferences are recorded for both knees; the index knee (demographics.index_knee) is the
 * analysed knee.
 */
export const STEMJOINT_OUTCOMES = [
  {
    id: 'adverse_events',
    registryOrder: 1,
    registryTitle: 'Observation (change) of adverse events',
    title: t('Utilsigtede hændelser', 'Adverse events'),
    data: [
      {
        form: 'adverse_event',
        items: [
          'ae_term',
          'meddra_pt_code',
          'meddra_soc_code',
          'ctcae_grade',
          'ae_serious',
          'causality_cells_investigator',
          'causality_procedure_investigator',
        ],
      },
      {
        form: 'pain_diary',
        items: ['nrs_worst_24h', 'nrs_average_24h', 'knee_swelling', 'analgesic_taken', 'other_symptoms'],
      },
    ],
    visits: ['BL', 'D', 'M3', 'M12', 'M24', 'Y3', 'Y4', 'Y5'],
    analysis: {
      method: 'ae_incidence',
      contrast: CONTRAST,
      confidenceLevel: 0.95,
      params: {
        summary: 'participants_with_at_least_one_event_by_arm',
        groupBy: ['soc', 'pt'],
        test: 'fisher_exact',
        rate: 'events_per_100_participant_years',
      },
      description: t(
        'Deltagere med ≥ 1 hændelse pr. arm, efter organklasse og foretrukken term; Fishers eksakte test; hændelser pr. 100 deltagerår.',
        "Participants with ≥ 1 event by arm, by system organ class and preferred term; Fisher's exact test; events per 100 participant-years.",
      ),
      basis: 'default',
    },
  },
  {
    id: 'koos_symptoms',
    registryOrder: 2,
    registryTitle:
      'Change in Knee symptoms (questionnaire Knee injury and Osteoarthritis Outcome Score (KOOS) (symptoms)) from baseline',
    title: t('KOOS symptomer, ændring fra baseline', 'KOOS Symptoms, change from baseline'),
    data: [{ form: 'koos', items: ['koos_symptoms'] }],
    visits: FOLLOW_UP,
    baselineVisit: 'BL',
    unit: 'score 0–100',
    analysis: MMRM,
  },
  {
    id: 'nrs_pain',
    registryOrder: 3,
    registryTitle: 'Change in pain from baseline',
    title: t('Smerte (NRS), ændring fra baseline', 'Pain (NRS), change from baseline'),
    data: [{ form: 'nrs', items: ['nrs_pain'] }],
    visits: FOLLOW_UP,
    baselineVisit: 'BL',
    unit: 'NRS 0–10',
    analysis: MMRM,
  },
  {
    id: 'moaks',
    registryOrder: 4,
    registryTitle: 'Observation (change) of cartilage regeneration compared to baseline',
    title: t('Bruskregeneration (MOAKS)', 'Cartilage regeneration (MOAKS)'),
    data: [{ form: 'mri_moaks', items: moaksItems }],
    visits: IMAGING_EXAM,
    baselineVisit: 'BL',
    analysis: {
      method: 'descriptive_ordinal',
      contrast: CONTRAST,
      confidenceLevel: 0.95,
      params: { summary: 'shift_tables_by_arm_and_visit', unit: 'subregion_grade' },
      description: t(
        'Skifttabeller for MOAKS-grader pr. arm og besøg i forhold til baseline.',
        'Shift tables of MOAKS grades by arm and visit against baseline.',
      ),
      basis: 'design',
    },
  },
  {
    id: 'quantitative_mri',
    registryOrder: 5,
    registryTitle: 'Observation (change) of quantitative cartilage regeneration compared to baseline',
    title: t('Kvantitativ MR (stress, strain, bruskvolumen)', 'Quantitative MRI (stress, strain, cartilage volume)'),
    data: [{ form: 'mri_quant', items: qmriItems }],
    visits: IMAGING_EXAM,
    baselineVisit: 'BL',
    analysis: MMRM,
  },
  {
    id: 'range_of_motion',
    registryOrder: 6,
    registryTitle: 'Improvement (change) during clinical examination with range of motion compared to baseline',
    title: t('Bevægelighed (grader)', 'Range of motion (degrees)'),
    data: [
      {
        form: 'clinical_exam',
        items: ['right_flexion_deg', 'left_flexion_deg', 'right_extension_deg', 'left_extension_deg'],
      },
    ],
    visits: IMAGING_EXAM,
    baselineVisit: 'BL',
    unit: 'degrees',
    analysis: MMRM,
  },
  {
    id: 'effusion',
    registryOrder: 7,
    registryTitle:
      'Improvement (change) during clinical examination with Effusion tests (swelling) compared to baseline',
    title: t('Ledvæske (ja/nej)', 'Effusion (yes/no)'),
    data: [{ form: 'clinical_exam', items: ['right_effusion', 'left_effusion'] }],
    visits: IMAGING_EXAM,
    baselineVisit: 'BL',
    unit: 'yes/no',
    analysis: {
      method: 'logistic_regression',
      contrast: CONTRAST,
      confidenceLevel: 0.95,
      params: { covariates: ['baseline_effusion', 'arm'], effect: 'risk_difference', ciMethod: 'newcombe' },
      description: t(
        'Logistisk regression på ledvæske ved baseline og arm; risikoforskel med Newcombe-konfidensinterval.',
        'Logistic regression on baseline effusion and arm; risk difference with Newcombe confidence interval.',
      ),
      basis: 'default',
    },
  },
  {
    id: 'knee_circumference',
    registryOrder: 8,
    registryTitle:
      'Improvement (change) during clinical examination with measurement of knee diameter (swelling) compared to baseline',
    title: t('Knæomkreds (cm)', 'Knee circumference (cm)'),
    data: [{ form: 'clinical_exam', items: ['right_knee_circ_cm', 'left_knee_circ_cm'] }],
    visits: IMAGING_EXAM,
    baselineVisit: 'BL',
    unit: 'cm',
    analysis: MMRM,
  },
  {
    id: 'thigh_circumference',
    registryOrder: 9,
    registryTitle:
      'Improvement (change) during clinical examination with measurement of quadriceps muscle diameter (atrofi) compared to baseline',
    title: t('Låromkreds/quadriceps (cm)', 'Thigh (quadriceps) circumference (cm)'),
    data: [
      {
        form: 'clinical_exam',
        items: [
          'right_thigh_circ_cm',
          'left_thigh_circ_cm',
          'right_thigh_distance_cm',
          'left_thigh_distance_cm',
          'thigh_method',
        ],
      },
    ],
    visits: IMAGING_EXAM,
    baselineVisit: 'BL',
    unit: 'cm',
    analysis: MMRM,
  },
  {
    id: 'hla_antibodies',
    registryOrder: 10,
    registryTitle: 'Change in HLA-typing from baseline',
    title: t('Nye donorspecifikke anti-HLA-antistoffer', 'De novo donor-specific anti-HLA antibodies'),
    data: [
      { form: 'hla_antibody', items: ['dsa_detected', 'de_novo_dsa', 'bead_mfi', 'lab_cutoff_mfi'] },
      { form: 'hla_typing', items: ['resolution', 'method'] },
    ],
    visits: ['BL', 'M3'],
    baselineVisit: 'BL',
    analysis: {
      method: 'dsa_incidence',
      contrast: CONTRAST,
      confidenceLevel: 0.95,
      params: { visit: 'M3', summary: 'incidence_of_de_novo_dsa_by_arm' },
      description: t(
        'Forekomst af nye donorspecifikke antistoffer ved 3 måneder pr. arm (genotypen ændres ikke; ændringen er nye antistoffer).',
        'Incidence of de novo donor-specific antibodies at 3 months by arm (the genotype cannot change; the change is new antibodies).',
      ),
      basis: 'default',
    },
  },
] as const satisfies readonly OutcomeDef[];
