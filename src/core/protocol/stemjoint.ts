import { defineProtocol } from './define-protocol.js';
import type { DerivationMethodDef, SafetyClockDef } from './definition-types.js';
import type { RoleDef } from './roles.js';
import { STEMJOINT_CODE_LISTS } from './stemjoint/code-lists.js';
import {
  administrationForm,
  blindingAssessmentForm,
  endOfStudyForm,
  protocolDeviationForm,
  unscheduledVisitForm,
} from './stemjoint/conduct-forms.js';
import { STEMJOINT_CRITERIA } from './stemjoint/criteria.js';
import { clinicalExamForm } from './stemjoint/exam-form.js';
import { t } from './stemjoint/helpers.js';
import { donorHlaTypingForm, hlaAntibodyForm, hlaTypingForm } from './stemjoint/hla-forms.js';
import { koosForm } from './stemjoint/koos-form.js';
import { mriMoaksForm, mriQuantForm } from './stemjoint/mri-forms.js';
import { STEMJOINT_OUTCOMES } from './stemjoint/outcomes.js';
import { nrsForm, painDiaryForm } from './stemjoint/pro-forms.js';
import {
  donorForm,
  dosePreparationForm,
  productLotForm,
  productThawForm,
  productVialForm,
} from './stemjoint/product-forms.js';
import { adverseEventForm, conmedForm } from './stemjoint/safety-forms.js';
import {
  consentForm,
  demographicsForm,
  medicalHistoryForm,
  screeningForm,
  xrayForm,
} from './stemjoint/screening-forms.js';
import { STEMJOINT_VISITS } from './stemjoint/visits.js';

const ROLE_DEFS = [
  {
    id: 'admin',
    label: t('Administrator', 'Administrator'),
    blinding: 'blinded',
    description: t(
      'Brugere, sites og systemopsætning; ingen adgang til allokering.',
      'Users, sites and configuration; no access to allocation.',
    ),
  },
  {
    id: 'investigator',
    label: t('Investigator', 'Investigator'),
    blinding: 'blinded',
    description: t(
      'Vurderer egnethed, hændelser og kan foretage nødafblinding.',
      'Signs off eligibility, assesses events, may perform emergency unblinding.',
    ),
  },
  {
    id: 'coordinator',
    label: t('Forsøgssygeplejerske', 'Study nurse (coordinator)'),
    blinding: 'blinded',
    description: t('Indtaster data og planlægger besøg.', 'Enters data and schedules visits.'),
  },
  {
    id: 'unblinded_pharmacist',
    label: t('Ublindet farmaceut (cellelaboratorium)', 'Unblinded pharmacist (cell laboratory)'),
    blinding: 'unblinded',
    description: t('Klargør sprøjten og fører produktkæden.', 'Prepares the syringe and keeps the product chain.'),
  },
  {
    id: 'monitor',
    label: t('Monitor', 'Monitor'),
    blinding: 'blinded',
    description: t('Kildedataverifikation og forespørgsler.', 'Source data verification and queries.'),
  },
  {
    id: 'data_manager',
    label: t('Datamanager', 'Data manager'),
    blinding: 'blinded',
    description: t('Datakvalitet, forespørgsler og databaselåsning.', 'Data quality, queries and database lock.'),
  },
  {
    id: 'statistician',
    label: t('Statistiker', 'Statistician'),
    blinding: 'unblinded_after_lock',
    description: t(
      'Blindede puljede rapporter; armvise analyser efter databaselåsning.',
      'Blinded pooled reports; by-arm analyses after database lock.',
    ),
  },
  {
    id: 'dsmb',
    label: t('Uafhængig sikkerhedskomité (DSMB)', 'Data and safety monitoring board (DSMB)'),
    blinding: 'unblinded',
    description: t('Gennemgår sikkerhedsdata pr. arm.', 'Reviews safety data by arm.'),
  },
  {
    id: 'participant',
    label: t('Deltager', 'Participant'),
    blinding: 'blinded',
    eproOnly: true,
    description: t(
      'Udfylder spørgeskemaer og smertedagbog i ePRO.',
      'Completes questionnaires and the pain diary in ePRO.',
    ),
  },
] as const satisfies readonly RoleDef[];

const SAFETY_CLOCKS = [
  {
    id: 'sae_initial_report',
    label: t('SAE indberettes til sponsor', 'SAE report to the sponsor'),
    startsAt: 'site_awareness',
    duration: { hours: 24 },
    reporter: 'investigator',
    recipient: 'sponsor',
    appliesTo: t('Alle alvorlige hændelser', 'Every serious adverse event'),
    legalBasis: 'EU CTR 536/2014 Art. 41',
    basis: 'spec',
  },
  {
    id: 'susar_fatal_initial',
    label: t('Dødelig eller livstruende SUSAR', 'Fatal or life-threatening SUSAR'),
    startsAt: 'sponsor_awareness',
    duration: { days: 7 },
    reporter: 'sponsor',
    recipient: 'eudravigilance',
    appliesTo: t('SUSAR med død eller livstruende forløb', 'SUSAR that is fatal or life-threatening'),
    legalBasis: 'EU CTR 536/2014 Art. 42',
    basis: 'spec',
  },
  {
    id: 'susar_fatal_follow_up',
    label: t('Opfølgning på dødelig eller livstruende SUSAR', 'Follow-up of a fatal or life-threatening SUSAR'),
    startsAt: 'initial_report',
    duration: { days: 8 },
    reporter: 'sponsor',
    recipient: 'eudravigilance',
    appliesTo: t('Opfølgende rapport efter den første indberetning', 'Follow-up report after the initial report'),
    legalBasis: 'EU CTR 536/2014 Art. 42',
    basis: 'spec',
  },
  {
    id: 'susar_other',
    label: t('Øvrige SUSAR', 'Other SUSARs'),
    startsAt: 'sponsor_awareness',
    duration: { days: 15 },
    reporter: 'sponsor',
    recipient: 'eudravigilance',
    appliesTo: t('SUSAR, der ikke er dødelig eller livstruende', 'SUSAR that is neither fatal nor life-threatening'),
    legalBasis: 'EU CTR 536/2014 Art. 42',
    basis: 'spec',
  },
  {
    id: 'annual_safety_report',
    label: t('Årlig sikkerhedsrapport', 'Annual safety report'),
    startsAt: 'study_start_anniversary',
    duration: { months: 12 },
    reporter: 'sponsor',
    recipient: 'ctis',
    appliesTo: t('Forsøget som helhed', 'The trial as a whole'),
    legalBasis: 'EU CTR 536/2014 Art. 43',
    basis: 'spec',
  },
] as const satisfies readonly SafetyClockDef[];

const DERIVATION_METHODS = [
  {
    id: 'age.completedYears',
    description: t('Alder i fuldførte år på en dato', 'Age in completed years on a date'),
    implementedIn: 'src/core/scoring (computeAge)',
    resultType: 'integer',
  },
  {
    id: 'bmi',
    description: t('Vægt (kg) / højde (m)², uafrundet', 'Weight (kg) / height (m)², unrounded'),
    implementedIn: 'src/core/scoring (computeBmi)',
    resultType: 'decimal',
  },
  ...(['symptoms', 'pain', 'adl', 'sport', 'qol'] as const).map((subscale) => ({
    id: `koos.${subscale}`,
    description: t(
      `KOOS-delscore ${subscale}: 100 − gennemsnit × 25 med mindst halvdelen af spørgsmålene besvaret, ellers tom`,
      `KOOS ${subscale} subscale: 100 − mean × 25 with at least half of the items answered, else null`,
    ),
    implementedIn: 'src/core/scoring (scoreKoosSubscale)',
    resultType: 'decimal' as const,
  })),
  {
    id: 'diary.studyDay',
    description: t('Dagbogsdag = dagbogsdato − injektionsdato', 'Diary day = diary date − injection date'),
    implementedIn: 'src/core/schedule (calendarDaysBetween)',
    resultType: 'integer',
  },
  {
    id: 'diary.lateEntry',
    description: t('Indtastet efter dagbogsdagen', 'Entered after the diary day'),
    implementedIn: 'src/core/schedule',
    resultType: 'boolean',
  },
  {
    id: 'hla.donorSpecificDetected',
    description: t('Mindst én positiv donorspecifik bead', 'At least one positive donor-specific bead'),
    implementedIn: 'src/core/ecrf (deriveFormValues)',
    resultType: 'boolean',
  },
  {
    id: 'hla.deNovoDsa',
    description: t(
      'En donorspecifik antistofspecificitet er positiv ved 3 måneder og var negativ ved baseline',
      'A donor-specific antibody specificity is positive at 3 months and was negative at baseline',
    ),
    implementedIn: 'src/core/scoring (deriveDeNovoDsa)',
    resultType: 'boolean',
  },
] as const satisfies readonly DerivationMethodDef[];

/**
 * The STEMJOINT protocol, version 1.0, as typed data (spec §1–§10 and the data dictionary). It is
 * validated by its test and by `createProtocolRegistry`/`loadProtocol`; importing it does no work.
 */
export const STEMJOINT_PROTOCOL = defineProtocol({
  version: '1.0',
  amendments: [
    {
      version: '1.0',
      previousVersion: null,
      effectiveDate: '2023-10-01',
      summary: 'Initial version, encoded from registry record NCT05933434 and the STEMJOINT specification.',
    },
  ],
  study: {
    id: 'STEMJOINT01',
    acronym: 'STEMJOINT',
    oid: 'S.STEMJOINT01',
    registryIds: [
      { registry: 'ClinicalTrials.gov', id: 'NCT05933434' },
      { registry: 'Sponsor', id: 'STEMJOINT01' },
    ],
    title: t(
      'Allogene mesenkymale stamceller injiceret i knæleddet som behandling af knæartrose – et randomiseret, eksplorativt studie af virkningsmekanismen',
      'Allogenic Mesenchymal Stem Cell Intraarticular Injection for Knee Osteoarthritis Therapy, an RCT Explorative Mode-of-action Study',
    ),
    condition: t('Knæartrose', 'Knee osteoarthritis'),
    phase: 'Phase 1/2',
    studyType: 'interventional',
    primaryPurpose: 'treatment',
    design: { allocation: 'randomized', model: 'parallel', masking: 'double', ratio: '1:1' },
    enrolmentTarget: 80,
    sites: [{ id: 'AUH', name: 'Aarhus University Hospital', country: 'DK', timeZone: 'Europe/Copenhagen' }],
    followUpYears: 5,
    retentionYears: 30,
    sponsor: 'Aarhus University Hospital',
  },
  arms: [
    {
      code: 'ADMSC',
      label: t('AD-MSC', 'AD-MSC'),
      role: 'active_comparator',
      intervention: t(
        'Én ultralydsvejledt injektion i knæleddet med 20 × 10⁶ allogene fedtvævsafledte mesenkymale stamceller, optøet samme dag og opslemmet i 10 mL saltvand.',
        'Single ultrasound-guided intra-articular knee injection of 20 × 10⁶ allogeneic adipose-derived mesenchymal stem cells, thawed on the day and formulated in 10 mL saline.',
      ),
      ratio: 1,
    },
    {
      code: 'SALINE',
      label: t('Saltvand', 'Saline'),
      role: 'placebo_comparator',
      intervention: t(
        'Én ultralydsvejledt injektion i knæleddet med 10 mL saltvand.',
        'Single ultrasound-guided intra-articular knee injection of 10 mL saline.',
      ),
      ratio: 1,
    },
  ],
  roles: ROLE_DEFS,
  codeLists: STEMJOINT_CODE_LISTS,
  forms: [
    screeningForm,
    consentForm,
    demographicsForm,
    medicalHistoryForm,
    xrayForm,
    koosForm,
    nrsForm,
    painDiaryForm,
    clinicalExamForm,
    mriMoaksForm,
    mriQuantForm,
    hlaTypingForm,
    hlaAntibodyForm,
    blindingAssessmentForm,
    administrationForm,
    adverseEventForm,
    conmedForm,
    endOfStudyForm,
    unscheduledVisitForm,
    protocolDeviationForm,
    donorForm,
    productLotForm,
    productVialForm,
    productThawForm,
    dosePreparationForm,
    donorHlaTypingForm,
  ],
  visits: STEMJOINT_VISITS,
  criteria: STEMJOINT_CRITERIA,
  strata: [
    {
      id: 'kl_grade',
      label: t('Kellgren–Lawrence-grad', 'Kellgren–Lawrence grade'),
      form: 'screening',
      item: 'kl_grade',
      levels: [
        { code: 'KL2', label: t('KL-grad 2', 'KL grade 2'), values: [2] },
        { code: 'KL3', label: t('KL-grad 3', 'KL grade 3'), values: [3] },
      ],
      basis: 'default',
    },
  ],
  randomization: {
    method: 'permuted_blocks',
    blockSizes: [4, 6],
    maxImbalance: 3,
    strata: ['kl_grade'],
    seedBits: 256,
    commitment: 'salted_sha256',
    requires: ['eligibility_signed_off', 'valid_consent', 'baseline_complete'],
    basis: 'default',
  },
  outcomes: STEMJOINT_OUTCOMES,
  blinding: {
    masking: 'double',
    maskedParties: ['participant', 'investigator', 'outcome_assessor'],
    unblindedRoles: ['unblinded_pharmacist', 'dsmb'],
    unblindedAfterLockRoles: ['statistician'],
    potentiallyUnblindingVisibleTo: ['unblinded_pharmacist', 'dsmb'],
    emergencyUnblinding: {
      allowedRoles: ['investigator'],
      scope: 'single_participant',
      requiresReason: true,
      requiresSignature: true,
      notify: ['sponsor'],
      flagsParticipantForAnalysis: true,
    },
    assessment: { form: 'blinding_assessment', visits: ['M3', 'M12'] },
    notes: [
      t(
        'Cellesuspensionen er uigennemsigtig og saltvand klart: sprøjten afdækkes og mærkes kun med kitkoden.',
        'The cell suspension is opaque and saline is clear: the syringe is masked and labelled with the kit code only.',
      ),
      t('Den, der injicerer, vurderer ikke effektmål.', 'The injector does not assess outcomes.'),
      t(
        'Blindede rapporter samler armene; armvise rapporter kun for DSMB og efter databaselåsning.',
        'Blinded reports pool the arms; by-arm reports only for the DSMB and after database lock.',
      ),
      t(
        'Blindede brugere får randomiseringsnummer og kitkode, aldrig armen.',
        'Blinded users receive a randomization number and kit code, never the arm.',
      ),
    ],
  },
  safetyClocks: SAFETY_CLOCKS,
  derivationMethods: DERIVATION_METHODS,
});

/** The type of the STEMJOINT protocol definition (literal ids preserved). */
export type StemjointProtocol = typeof STEMJOINT_PROTOCOL;
