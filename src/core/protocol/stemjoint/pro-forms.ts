import { defineForm } from '../define-protocol.js';
import { t, UNITS } from './helpers.js';

/** NRS pain (0–10) with the recall period and aspect stored beside the value. */
export const nrsForm = defineForm({
  id: 'nrs',
  oid: 'F.NRS',
  title: t('Smerteintensitet (NRS 0–10)', 'Pain intensity (NRS 0–10)'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'participant',
  epro: true,
  sdtm: { domain: 'QS', category: 'NRS' },
  itemGroups: [
    {
      id: 'nrs',
      oid: 'IG.NRS',
      name: t('Smerte', 'Pain'),
      items: [
        {
          id: 'nrs_pain',
          type: 'integer',
          label: t(
            'Smerte i indeksknæet (0 = ingen, 10 = værst tænkelige)',
            'Index-knee pain (0 = none, 10 = worst imaginable)',
          ),
          unit: UNITS.score,
          range: { hardMin: 0, hardMax: 10 },
          required: true,
          sdtm: { domain: 'QS', testCode: 'NRSPAIN', test: 'Numeric Rating Scale Pain', category: 'NRS' },
        },
        {
          id: 'nrs_recall',
          type: 'code',
          codeList: 'nrs_recall',
          label: t('Tidsramme', 'Recall period'),
          required: true,
          basis: 'default',
          note: 'Default recall period: last 7 days; the protocol value is unverified and the value is stored with each score.',
        },
        {
          id: 'nrs_aspect',
          type: 'code',
          codeList: 'nrs_aspect',
          label: t('Smerteaspekt', 'Pain aspect'),
          required: true,
          basis: 'default',
          note: 'Default aspect: average pain; the same anchor is used at every visit.',
        },
      ],
    },
  ],
});

/**
 * One day of the 30-day post-injection pain diary (visit `D`, instances D1…D30). Late entries are
 * accepted and flagged. A free-text symptom prompts the investigator to review for an adverse event.
 */
export const painDiaryForm = defineForm({
  id: 'pain_diary',
  oid: 'F.PAIN_DIARY',
  title: t('Smertedagbog', 'Pain diary'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'participant',
  epro: true,
  recallPeriod: t('De seneste 24 timer', 'The last 24 hours'),
  sdtm: { domain: 'QS', category: 'PAIN DIARY' },
  itemGroups: [
    {
      id: 'entry',
      oid: 'IG.DIARY.ENTRY',
      name: t('Registrering', 'Entry'),
      items: [
        { id: 'entry_date', type: 'date', label: t('Dagbogsdato', 'Diary date'), required: true },
        {
          id: 'entered_at',
          type: 'datetime',
          label: t('Indtastet (tidspunkt)', 'Entered at'),
          help: t('Sættes af systemet ved indsendelse.', 'Set by the system on submission.'),
          required: true,
        },
        {
          id: 'diary_day',
          type: 'integer',
          label: t('Dag efter injektion', 'Day after injection'),
          unit: UNITS.day,
          range: { hardMin: 1, hardMax: 30 },
          derivation: {
            method: 'diary.studyDay',
            inputs: [{ item: 'entry_date' }, { form: 'administration', item: 'administration_datetime', visit: 'BL' }],
          },
        },
        {
          id: 'late_entry',
          type: 'boolean',
          label: t('Sen indtastning', 'Late entry'),
          derivation: { method: 'diary.lateEntry', inputs: [{ item: 'entry_date' }, { item: 'entered_at' }] },
        },
      ],
    },
    {
      id: 'pain',
      oid: 'IG.DIARY.PAIN',
      name: t('Smerte og hævelse', 'Pain and swelling'),
      items: [
        {
          id: 'nrs_worst_24h',
          type: 'integer',
          label: t('Værste smerte seneste 24 timer (0–10)', 'Worst pain, last 24 hours (0–10)'),
          unit: UNITS.score,
          range: { hardMin: 0, hardMax: 10 },
          required: true,
          sdtm: { domain: 'QS', testCode: 'NRSWORST', category: 'PAIN DIARY' },
        },
        {
          id: 'nrs_average_24h',
          type: 'integer',
          label: t('Gennemsnitlig smerte seneste 24 timer (0–10)', 'Average pain, last 24 hours (0–10)'),
          unit: UNITS.score,
          range: { hardMin: 0, hardMax: 10 },
          required: true,
          sdtm: { domain: 'QS', testCode: 'NRSAVG', category: 'PAIN DIARY' },
        },
        {
          id: 'knee_swelling',
          type: 'code',
          codeList: 'swelling',
          label: t('Hævelse af knæet', 'Knee swelling'),
          required: true,
          sdtm: { domain: 'CE', testCode: 'SWELLING' },
        },
        {
          id: 'analgesic_taken',
          type: 'boolean',
          label: t('Taget smertestillende', 'Analgesics taken'),
          required: true,
        },
        {
          id: 'other_symptoms',
          type: 'text',
          label: t('Andre symptomer', 'Other symptoms'),
          help: t(
            'Investigator vurderer, om der er tale om en utilsigtet hændelse.',
            'The investigator reviews whether this is an adverse event.',
          ),
          multiline: true,
          maxLength: 1000,
        },
      ],
    },
    {
      id: 'analgesics',
      oid: 'IG.DIARY.ANALGESICS',
      name: t('Smertestillende', 'Analgesics'),
      repeating: true,
      showIf: { op: 'eq', item: 'analgesic_taken', value: true },
      items: [
        {
          id: 'analgesic_drug',
          type: 'text',
          label: t('Præparat', 'Drug'),
          maxLength: 100,
          required: true,
          sdtm: { domain: 'CM', variable: 'CMTRT' },
        },
        {
          id: 'analgesic_dose_mg',
          type: 'decimal',
          label: t('Dosis pr. gang (mg)', 'Dose per intake (mg)'),
          unit: UNITS.mg,
          precision: 1,
          range: { hardMin: 0, hardMax: 4000, softMax: 1000 },
          required: true,
          sdtm: { domain: 'CM', variable: 'CMDOSE' },
        },
        {
          id: 'analgesic_count',
          type: 'integer',
          label: t('Antal gange i døgnet', 'Number of intakes in the day'),
          unit: UNITS.count,
          range: { hardMin: 1, hardMax: 24, softMax: 8 },
          required: true,
        },
      ],
    },
  ],
});
