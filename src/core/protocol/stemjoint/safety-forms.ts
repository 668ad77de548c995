import { defineForm } from '../define-protocol.js';
import { t } from './helpers.js';

const MEDDRA_CODE = { regex: '^\\d{8}$', description: t('8 cifre', '8 digits') } as const;

const SERIOUSNESS_FLAGS = [
  ['ae_death', 'Død', 'Results in death', 'AESDTH'],
  ['ae_life_threatening', 'Livstruende', 'Life-threatening', 'AESLIFE'],
  [
    'ae_hospitalisation',
    'Indlæggelse eller forlænget indlæggelse',
    'Hospitalisation or prolonged hospitalisation',
    'AESHOSP',
  ],
  [
    'ae_disability',
    'Varig eller betydelig invaliditet',
    'Persistent or significant disability or incapacity',
    'AESDISAB',
  ],
  ['ae_congenital_anomaly', 'Medfødt misdannelse', 'Congenital anomaly or birth defect', 'AESCONG'],
  ['ae_important_medical_event', 'Anden vigtig medicinsk hændelse', 'Other important medical event', 'AESMIE'],
] as const;

/**
 * Adverse event (repeating log, any time from the injection). Seriousness criteria are separate
 * booleans and `ae_serious` is derived from them; causality to the cells and to the injection
 * procedure is recorded by the investigator and by the sponsor separately (the sponsor may not
 * downgrade the investigator's view; both are kept); expectedness is judged by the sponsor
 * against a versioned reference safety information (RSI). Awareness times start the safety clocks.
 */
export const adverseEventForm = defineForm({
  id: 'adverse_event',
  oid: 'F.AE',
  title: t('Utilsigtet hændelse', 'Adverse event'),
  kind: 'log',
  repeating: true,
  respondent: 'site',
  sdtm: { domain: 'AE' },
  itemGroups: [
    {
      id: 'event',
      oid: 'IG.AE.EVENT',
      name: t('Hændelse', 'Event'),
      items: [
        {
          id: 'ae_term',
          type: 'text',
          label: t('Hændelse (ordret)', 'Event (verbatim term)'),
          maxLength: 200,
          required: true,
          sdtm: { domain: 'AE', variable: 'AETERM' },
        },
        {
          id: 'meddra_llt_code',
          type: 'text',
          label: t('MedDRA LLT-kode', 'MedDRA LLT code'),
          pattern: MEDDRA_CODE,
          sdtm: { domain: 'AE', variable: 'AELLTCD' },
        },
        {
          id: 'meddra_pt_code',
          type: 'text',
          label: t('MedDRA PT-kode', 'MedDRA PT code'),
          pattern: MEDDRA_CODE,
          sdtm: { domain: 'AE', variable: 'AEPTCD' },
        },
        {
          id: 'meddra_soc_code',
          type: 'text',
          label: t('MedDRA primær SOC-kode', 'MedDRA primary SOC code'),
          pattern: MEDDRA_CODE,
          sdtm: { domain: 'AE', variable: 'AESOCCD' },
        },
        {
          id: 'meddra_version',
          type: 'text',
          label: t('MedDRA-version', 'MedDRA version'),
          pattern: { regex: '^\\d{1,2}\\.\\d$', description: t('fx 27.1', 'e.g. 27.1') },
          showIf: { op: 'answered', item: 'meddra_llt_code' },
          required: true,
        },
        {
          id: 'ae_onset',
          type: 'partial-date',
          label: t('Debut', 'Onset'),
          required: true,
          sdtm: { domain: 'AE', variable: 'AESTDTC' },
        },
        { id: 'ae_ongoing', type: 'boolean', label: t('Stadig til stede', 'Ongoing'), required: true },
        {
          id: 'ae_end',
          type: 'partial-date',
          label: t('Ophørt', 'End'),
          showIf: { op: 'eq', item: 'ae_ongoing', value: false },
          required: true,
          sdtm: { domain: 'AE', variable: 'AEENDTC' },
        },
        {
          id: 'site_awareness_datetime',
          type: 'datetime',
          label: t('Forsøgsstedet blev opmærksom på hændelsen', 'Site became aware of the event'),
          required: true,
        },
        {
          id: 'index_knee_event',
          type: 'boolean',
          label: t('Lokal hændelse i indeksknæet', 'Local event in the index knee'),
          required: true,
        },
        {
          id: 'ctcae_grade',
          type: 'code',
          codeList: 'ctcae_grade',
          label: t('Sværhedsgrad (CTCAE v5)', 'Severity (CTCAE v5 grade)'),
          required: true,
          sdtm: { domain: 'AE', variable: 'AETOXGR' },
        },
      ],
    },
    {
      id: 'seriousness',
      oid: 'IG.AE.SERIOUSNESS',
      name: t('Alvorlighed', 'Seriousness'),
      items: [
        ...SERIOUSNESS_FLAGS.map(([id, da, en, variable]) => ({
          id,
          type: 'boolean' as const,
          label: t(da, en),
          required: true,
          sdtm: { domain: 'AE', variable },
        })),
        {
          id: 'ae_serious',
          type: 'boolean',
          label: t('Alvorlig hændelse (SAE)', 'Serious adverse event (SAE)'),
          derivation: {
            method: 'expression',
            inputs: SERIOUSNESS_FLAGS.map(([item]) => ({ item })),
            expression: {
              op: 'or',
              conditions: SERIOUSNESS_FLAGS.map(([item]) => ({ op: 'eq' as const, item, value: true })),
            },
          },
          sdtm: { domain: 'AE', variable: 'AESER' },
        },
      ],
    },
    {
      id: 'investigator_assessment',
      oid: 'IG.AE.INVESTIGATOR',
      name: t('Investigators vurdering', "Investigator's assessment"),
      items: [
        {
          id: 'causality_cells_investigator',
          type: 'code',
          codeList: 'causality',
          label: t(
            'Sammenhæng med forsøgsproduktet (investigator)',
            'Relationship to the study product (investigator)',
          ),
          required: true,
          sdtm: { domain: 'AE', variable: 'AEREL' },
        },
        {
          id: 'causality_procedure_investigator',
          type: 'code',
          codeList: 'causality',
          label: t(
            'Sammenhæng med injektionsproceduren (investigator)',
            'Relationship to the injection procedure (investigator)',
          ),
          required: true,
        },
        {
          id: 'ae_action',
          type: 'code',
          codeList: 'ae_action',
          multiple: true,
          label: t('Tiltag', 'Action taken'),
          required: true,
        },
        {
          id: 'ae_outcome',
          type: 'code',
          codeList: 'ae_outcome',
          label: t('Udfald', 'Outcome'),
          required: true,
          sdtm: { domain: 'AE', variable: 'AEOUT' },
        },
      ],
    },
    {
      id: 'sponsor_assessment',
      oid: 'IG.AE.SPONSOR',
      name: t('Sponsors vurdering', "Sponsor's assessment"),
      respondent: 'sponsor',
      items: [
        {
          id: 'sponsor_awareness_datetime',
          type: 'datetime',
          label: t('Sponsor blev opmærksom på hændelsen', 'Sponsor became aware of the event'),
        },
        {
          id: 'causality_cells_sponsor',
          type: 'code',
          codeList: 'causality',
          label: t('Sammenhæng med forsøgsproduktet (sponsor)', 'Relationship to the study product (sponsor)'),
        },
        {
          id: 'causality_procedure_sponsor',
          type: 'code',
          codeList: 'causality',
          label: t(
            'Sammenhæng med injektionsproceduren (sponsor)',
            'Relationship to the injection procedure (sponsor)',
          ),
        },
        { id: 'expectedness', type: 'code', codeList: 'expectedness', label: t('Forventethed', 'Expectedness') },
        {
          id: 'rsi_version',
          type: 'text',
          label: t('Version af referencesikkerhedsinformation (RSI)', 'Reference safety information (RSI) version'),
          maxLength: 40,
          showIf: { op: 'answered', item: 'expectedness' },
          required: true,
        },
      ],
    },
  ],
});

/** Concomitant medication (repeating log, reviewed at every visit). */
export const conmedForm = defineForm({
  id: 'conmed',
  oid: 'F.CM',
  title: t('Samtidig medicin', 'Concomitant medication'),
  kind: 'log',
  repeating: true,
  respondent: 'site',
  sdtm: { domain: 'CM' },
  itemGroups: [
    {
      id: 'medication',
      oid: 'IG.CM',
      name: t('Medicin', 'Medication'),
      items: [
        {
          id: 'cm_drug',
          type: 'text',
          label: t('Præparat', 'Medication'),
          maxLength: 200,
          required: true,
          sdtm: { domain: 'CM', variable: 'CMTRT' },
        },
        {
          id: 'cm_atc',
          type: 'text',
          label: t('ATC-kode', 'ATC code'),
          pattern: { regex: '^[A-Z](\\d{2}([A-Z]([A-Z](\\d{2})?)?)?)?$', description: t('fx M01AE01', 'e.g. M01AE01') },
          sdtm: { domain: 'CM', variable: 'CMCLASCD' },
        },
        {
          id: 'cm_indication',
          type: 'text',
          label: t('Indikation', 'Indication'),
          maxLength: 200,
          required: true,
          sdtm: { domain: 'CM', variable: 'CMINDC' },
        },
        {
          id: 'cm_dose',
          type: 'decimal',
          label: t('Dosis', 'Dose'),
          precision: 3,
          range: { hardMin: 0, hardMax: 100000 },
          sdtm: { domain: 'CM', variable: 'CMDOSE' },
        },
        {
          id: 'cm_dose_unit',
          type: 'code',
          codeList: 'dose_unit',
          label: t('Dosisenhed', 'Dose unit'),
          showIf: { op: 'answered', item: 'cm_dose' },
          required: true,
        },
        { id: 'cm_route', type: 'code', codeList: 'route', label: t('Administrationsvej', 'Route'), required: true },
        { id: 'cm_frequency', type: 'text', label: t('Hyppighed', 'Frequency'), maxLength: 100 },
        {
          id: 'cm_start',
          type: 'partial-date',
          label: t('Start', 'Start'),
          required: true,
          sdtm: { domain: 'CM', variable: 'CMSTDTC' },
        },
        { id: 'cm_ongoing', type: 'boolean', label: t('Fortsat i brug', 'Ongoing'), required: true },
        {
          id: 'cm_end',
          type: 'partial-date',
          label: t('Stop', 'End'),
          showIf: { op: 'eq', item: 'cm_ongoing', value: false },
          required: true,
          sdtm: { domain: 'CM', variable: 'CMENDTC' },
        },
        {
          id: 'cm_analgesic',
          type: 'boolean',
          label: t('Smertestillende for knæet', 'Analgesic for the knee'),
          required: true,
        },
      ],
    },
  ],
});
