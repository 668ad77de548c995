import { defineForm } from '../define-protocol.js';
import { t } from './helpers.js';

/**
 * Blinding assessment at M3 and M12 (spec §4): the participant and the investigator each guess the
 * treatment (ADMSC / SALINE / don't know), in separate groups so each answers without the other.
 */
export const blindingAssessmentForm = defineForm({
  id: 'blinding_assessment',
  oid: 'F.BLINDING_ASSESSMENT',
  title: t('Vurdering af blinding', 'Blinding assessment'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'site',
  itemGroups: [
    {
      id: 'participant',
      oid: 'IG.BLIND.PARTICIPANT',
      name: t('Deltagerens gæt', "Participant's guess"),
      respondent: 'participant',
      items: [
        {
          id: 'participant_guess',
          type: 'code',
          codeList: 'blinding_guess',
          label: t('Hvilken behandling tror du, du fik?', 'Which treatment do you think you received?'),
          required: true,
        },
        { id: 'participant_guess_reason', type: 'text', label: t('Begrundelse', 'Reason'), maxLength: 500 },
      ],
    },
    {
      id: 'investigator',
      oid: 'IG.BLIND.INVESTIGATOR',
      name: t('Investigators gæt', "Investigator's guess"),
      respondent: 'site',
      items: [
        {
          id: 'investigator_guess',
          type: 'code',
          codeList: 'blinding_guess',
          label: t(
            'Hvilken behandling tror du, deltageren fik?',
            'Which treatment do you think the participant received?',
          ),
          required: true,
        },
        { id: 'investigator_guess_reason', type: 'text', label: t('Begrundelse', 'Reason'), maxLength: 500 },
      ],
    },
  ],
});

/**
 * Product administration at baseline, as seen by blinded staff: kit code only, never the arm. The
 * injector is not an outcome assessor; the syringe is masked because the cell suspension is opaque.
 */
export const administrationForm = defineForm({
  id: 'administration',
  oid: 'F.ADMINISTRATION',
  title: t('Injektion af forsøgsprodukt', 'Study product administration'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'site',
  sdtm: { domain: 'EC' },
  itemGroups: [
    {
      id: 'administration',
      oid: 'IG.ADMIN',
      name: t('Injektion', 'Injection'),
      items: [
        {
          id: 'kit_code',
          type: 'text',
          label: t('Kitkode', 'Kit code'),
          maxLength: 20,
          required: true,
          sdtm: { domain: 'EC', variable: 'ECREFID' },
        },
        {
          id: 'administration_datetime',
          type: 'datetime',
          label: t('Tidspunkt for injektion (dag 0)', 'Time of injection (Day 0)'),
          required: true,
          sdtm: { domain: 'EC', variable: 'ECSTDTC' },
        },
        {
          id: 'knee_side',
          type: 'code',
          codeList: 'knee_side',
          label: t('Injiceret knæ', 'Knee injected'),
          required: true,
          sdtm: { domain: 'EC', variable: 'ECLAT' },
        },
        { id: 'ultrasound_guided', type: 'boolean', label: t('Ultralydsvejledt', 'Ultrasound-guided'), required: true },
        {
          id: 'volume_ml',
          type: 'decimal',
          label: t('Injiceret volumen (mL)', 'Volume injected (mL)'),
          unit: { ucum: 'mL', display: 'mL' },
          precision: 1,
          range: { hardMin: 0, softMin: 9.5, softMax: 10.5, hardMax: 20 },
          required: true,
          sdtm: { domain: 'EC', variable: 'ECDOSE' },
        },
        {
          id: 'syringe_masked',
          type: 'boolean',
          label: t('Sprøjten var afdækket', 'Syringe was masked'),
          required: true,
        },
        { id: 'injector', type: 'text', label: t('Injiceret af (id)', 'Injector (id)'), maxLength: 50, required: true },
        {
          id: 'injector_not_assessor',
          type: 'boolean',
          label: t('Injektor vurderer ikke effektmål', 'Injector does not assess outcomes'),
          required: true,
        },
        {
          id: 'administration_notes',
          type: 'text',
          label: t('Bemærkninger', 'Notes'),
          multiline: true,
          maxLength: 1000,
        },
      ],
    },
  ],
});

/** End of study or early termination; withdrawal stops further collection but keeps collected data. */
export const endOfStudyForm = defineForm({
  id: 'end_of_study',
  oid: 'F.END_OF_STUDY',
  title: t('Afslutning af forsøgsdeltagelse', 'End of study'),
  kind: 'event',
  repeating: false,
  respondent: 'site',
  sdtm: { domain: 'DS' },
  itemGroups: [
    {
      id: 'end_of_study',
      oid: 'IG.EOS',
      name: t('Afslutning', 'End of study'),
      items: [
        {
          id: 'eos_status',
          type: 'code',
          codeList: 'eos_status',
          label: t('Status', 'Status'),
          required: true,
          sdtm: { domain: 'DS', variable: 'DSDECOD' },
        },
        {
          id: 'eos_date',
          type: 'date',
          label: t('Dato for afslutning', 'Date of completion or termination'),
          required: true,
          sdtm: { domain: 'DS', variable: 'DSSTDTC' },
        },
        {
          id: 'eos_reason',
          type: 'code',
          codeList: 'eos_reason',
          label: t('Årsag', 'Reason'),
          showIf: { op: 'eq', item: 'eos_status', value: 'early_termination' },
          required: true,
        },
        {
          id: 'eos_reason_other',
          type: 'text',
          label: t('Anden årsag', 'Other reason'),
          maxLength: 500,
          showIf: { op: 'eq', item: 'eos_reason', value: 'other' },
          required: true,
        },
        {
          id: 'death_date',
          type: 'partial-date',
          label: t('Dødsdato', 'Date of death'),
          showIf: { op: 'eq', item: 'eos_reason', value: 'death' },
          required: true,
        },
        { id: 'last_contact_date', type: 'date', label: t('Seneste kontakt', 'Last contact date'), required: true },
        {
          id: 'follow_up_data_allowed',
          type: 'boolean',
          label: t(
            'Deltageren tillader fortsat indsamling af sikkerhedsdata',
            'Participant allows continued safety follow-up',
          ),
          showIf: { op: 'eq', item: 'eos_reason', value: 'consent_withdrawn' },
          required: true,
        },
      ],
    },
  ],
});

/** Unscheduled visit (repeating event). */
export const unscheduledVisitForm = defineForm({
  id: 'unscheduled_visit',
  oid: 'F.UNSCHEDULED_VISIT',
  title: t('Ekstra besøg', 'Unscheduled visit'),
  kind: 'event',
  repeating: true,
  respondent: 'site',
  sdtm: { domain: 'SV' },
  itemGroups: [
    {
      id: 'visit',
      oid: 'IG.UNSCHED',
      name: t('Besøg', 'Visit'),
      items: [
        {
          id: 'uv_date',
          type: 'date',
          label: t('Besøgsdato', 'Visit date'),
          required: true,
          sdtm: { domain: 'SV', variable: 'SVSTDTC' },
        },
        { id: 'uv_reason', type: 'code', codeList: 'unscheduled_reason', label: t('Årsag', 'Reason'), required: true },
        {
          id: 'uv_reason_other',
          type: 'text',
          label: t('Anden årsag', 'Other reason'),
          maxLength: 500,
          showIf: { op: 'eq', item: 'uv_reason', value: 'other' },
          required: true,
        },
        {
          id: 'uv_assessments',
          type: 'text',
          label: t('Udførte undersøgelser', 'Assessments performed'),
          multiline: true,
          maxLength: 1000,
        },
        { id: 'uv_notes', type: 'text', label: t('Bemærkninger', 'Notes'), multiline: true, maxLength: 2000 },
      ],
    },
  ],
});

/** Protocol deviation (repeating log); out-of-window visits create one automatically. */
export const protocolDeviationForm = defineForm({
  id: 'protocol_deviation',
  oid: 'F.PROTOCOL_DEVIATION',
  title: t('Protokolafvigelse', 'Protocol deviation'),
  kind: 'log',
  repeating: true,
  respondent: 'site',
  sdtm: { domain: 'DV' },
  itemGroups: [
    {
      id: 'deviation',
      oid: 'IG.DV',
      name: t('Afvigelse', 'Deviation'),
      items: [
        {
          id: 'dv_date',
          type: 'date',
          label: t('Dato for afvigelsen', 'Date of deviation'),
          required: true,
          sdtm: { domain: 'DV', variable: 'DVSTDTC' },
        },
        {
          id: 'dv_category',
          type: 'code',
          codeList: 'deviation_category',
          label: t('Kategori', 'Category'),
          required: true,
          sdtm: { domain: 'DV', variable: 'DVCAT' },
        },
        {
          id: 'dv_visit',
          type: 'text',
          label: t('Besøg (kode)', 'Visit (code)'),
          maxLength: 10,
          pattern: {
            regex: '^(SCR|BL|D([1-9]|[12]\\d|30)|M3|M12|M24|Y3|Y4|Y5|UNS)$',
            description: t('fx M3', 'e.g. M3'),
          },
        },
        {
          id: 'dv_description',
          type: 'text',
          label: t('Beskrivelse', 'Description'),
          multiline: true,
          maxLength: 2000,
          required: true,
          sdtm: { domain: 'DV', variable: 'DVTERM' },
        },
        {
          id: 'dv_severity',
          type: 'code',
          codeList: 'deviation_severity',
          label: t('Alvorlighed', 'Severity'),
          required: true,
        },
        {
          id: 'dv_detected_by',
          type: 'code',
          codeList: 'detected_by',
          label: t('Opdaget af', 'Detected by'),
          required: true,
        },
        {
          id: 'dv_corrective_action',
          type: 'text',
          label: t('Korrigerende handling', 'Corrective action'),
          multiline: true,
          maxLength: 2000,
        },
        {
          id: 'dv_reported_to_sponsor',
          type: 'boolean',
          label: t('Meddelt sponsor', 'Reported to the sponsor'),
          required: true,
        },
      ],
    },
  ],
});
