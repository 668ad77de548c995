/**
 * The SDTM-shaped datasets (SDTMIG v3.4 variable names): per domain its label, variables (name,
 * label ≤ 40 characters, Char/Num), and which variables only an unblinded export carries (the arm).
 * The mapping from STEMJOINT data is in `sdtm-export.ts` and the table in `docs/EXPORTS.md`.
 */

/** A variable of a dataset. */
export interface SdtmVariable {
  readonly name: string;
  readonly label: string;
  readonly type: 'Char' | 'Num';
  /** Only in unblinded exports. */
  readonly unblindedOnly?: boolean;
}

/** A dataset (domain). */
export interface SdtmDomain {
  readonly name: string;
  readonly label: string;
  readonly variables: readonly SdtmVariable[];
  /** Why the dataset may be empty (headers only). */
  readonly note?: string;
  /** Written with rows only in unblinded exports (the treatment actually given). */
  readonly unblindedOnly?: boolean;
}

const c = (name: string, label: string, extra: Partial<SdtmVariable> = {}): SdtmVariable => ({
  name,
  label,
  type: 'Char',
  ...extra,
});
const n = (name: string, label: string): SdtmVariable => ({ name, label, type: 'Num' });

const ID = (d: string): SdtmVariable[] => [
  c('STUDYID', 'Study Identifier'),
  c('DOMAIN', 'Domain Abbreviation'),
  c('USUBJID', 'Unique Subject Identifier'),
  n(`${d}SEQ`, 'Sequence Number'),
];
const VISIT: SdtmVariable[] = [
  n('VISITNUM', 'Visit Number'),
  c('VISIT', 'Visit Name'),
  n('VISITDY', 'Planned Study Day of Visit'),
];

/** The datasets in the order they are written. */
export const SDTM_DOMAINS: readonly SdtmDomain[] = [
  {
    name: 'DM',
    label: 'Demographics',
    variables: [
      c('STUDYID', 'Study Identifier'),
      c('DOMAIN', 'Domain Abbreviation'),
      c('USUBJID', 'Unique Subject Identifier'),
      c('SUBJID', 'Subject Identifier for the Study'),
      c('RFSTDTC', 'Subject Reference Start Date/Time'),
      c('RFENDTC', 'Subject Reference End Date/Time'),
      c('RFXSTDTC', 'Date/Time of First Study Treatment'),
      c('RFXENDTC', 'Date/Time of Last Study Treatment'),
      c('RFICDTC', 'Date/Time of Informed Consent'),
      c('RFPENDTC', 'Date/Time of End of Participation'),
      c('DTHDTC', 'Date/Time of Death'),
      c('DTHFL', 'Subject Death Flag'),
      c('SITEID', 'Study Site Identifier'),
      c('BRTHDTC', 'Date/Time of Birth'),
      n('AGE', 'Age'),
      c('AGEU', 'Age Units'),
      c('SEX', 'Sex'),
      c('RACE', 'Race'),
      c('ARMCD', 'Planned Arm Code', { unblindedOnly: true }),
      c('ARM', 'Description of Planned Arm', { unblindedOnly: true }),
      c('ACTARMCD', 'Actual Arm Code', { unblindedOnly: true }),
      c('ACTARM', 'Description of Actual Arm', { unblindedOnly: true }),
      c('ARMNRS', 'Reason Arm and/or Actual Arm is Null', { unblindedOnly: true }),
      c('COUNTRY', 'Country'),
    ],
  },
  {
    name: 'DS',
    label: 'Disposition',
    variables: [
      ...ID('DS'),
      c('DSTERM', 'Reported Term for the Disposition Event'),
      c('DSDECOD', 'Standardized Disposition Term'),
      c('DSCAT', 'Category for Disposition Event'),
      c('DSSTDTC', 'Start Date/Time of Disposition Event'),
      n('DSSTDY', 'Study Day of Start of Disposition Event'),
    ],
  },
  {
    name: 'SV',
    label: 'Subject Visits',
    variables: [
      c('STUDYID', 'Study Identifier'),
      c('DOMAIN', 'Domain Abbreviation'),
      c('USUBJID', 'Unique Subject Identifier'),
      ...VISIT,
      c('SVPRESP', 'Pre-specified'),
      c('SVOCCUR', 'Occurrence'),
      c('SVREASOC', 'Reason for Occur Value'),
      c('SVSTDTC', 'Start Date/Time of Observation'),
      c('SVENDTC', 'End Date/Time of Observation'),
      n('SVSTDY', 'Study Day of Start of Observation'),
      n('SVENDY', 'Study Day of End of Observation'),
    ],
  },
  {
    name: 'IE',
    label: 'Inclusion/Exclusion Criteria Not Met',
    note: 'Only criteria not met; enrolled participants normally have none, so the dataset is often empty.',
    variables: [
      ...ID('IE'),
      c('IETESTCD', 'Inclusion/Exclusion Criterion Short Name'),
      c('IETEST', 'Inclusion/Exclusion Criterion'),
      c('IECAT', 'Inclusion/Exclusion Category'),
      c('IEORRES', 'I/E Criterion Original Result'),
      c('IESTRESC', 'I/E Criterion Result in Std Format'),
      ...VISIT.slice(0, 2),
      c('IEDTC', 'Date/Time of Collection'),
      n('IEDY', 'Study Day of Collection'),
    ],
  },
  {
    name: 'EX',
    label: 'Exposure',
    unblindedOnly: true,
    note: 'The treatment actually given (AD-MSC or saline) reveals the arm: rows only in unblinded exports; blinded exports carry the masked administration in EC.',
    variables: [
      ...ID('EX'),
      c('EXTRT', 'Name of Treatment'),
      n('EXDOSE', 'Dose'),
      c('EXDOSU', 'Dose Units'),
      c('EXDOSFRM', 'Dose Form'),
      c('EXROUTE', 'Route of Administration'),
      c('EXLOC', 'Location of Dose Administration'),
      c('EXLAT', 'Laterality'),
      c('EXLOT', 'Lot Number'),
      c('EXSTDTC', 'Start Date/Time of Treatment'),
      c('EXENDTC', 'End Date/Time of Treatment'),
      n('EXSTDY', 'Study Day of Start of Treatment'),
      n('EXENDY', 'Study Day of End of Treatment'),
    ],
  },
  {
    name: 'EC',
    label: 'Exposure as Collected',
    variables: [
      ...ID('EC'),
      c('ECREFID', 'Reference ID'),
      c('ECTRT', 'Name of Treatment'),
      c('ECMOOD', 'Mood'),
      c('ECOCCUR', 'Occurrence'),
      c('ECREASOC', 'Reason for Occur Value'),
      n('ECDOSE', 'Dose'),
      c('ECDOSU', 'Dose Units'),
      c('ECROUTE', 'Route of Administration'),
      c('ECLOC', 'Location of Dose Administration'),
      c('ECLAT', 'Laterality'),
      c('ECSTDTC', 'Start Date/Time of Treatment'),
      c('ECENDTC', 'End Date/Time of Treatment'),
      n('ECSTDY', 'Study Day of Start of Treatment'),
    ],
  },
  {
    name: 'AE',
    label: 'Adverse Events',
    variables: [
      ...ID('AE'),
      c('AESPID', 'Sponsor-Defined Identifier'),
      c('AETERM', 'Reported Term for the Adverse Event'),
      c('AELLT', 'Lowest Level Term'),
      n('AELLTCD', 'Lowest Level Term Code'),
      c('AEDECOD', 'Dictionary-Derived Term'),
      n('AEPTCD', 'Preferred Term Code'),
      c('AESOC', 'Primary System Organ Class'),
      n('AESOCCD', 'Primary System Organ Class Code'),
      c('AELOC', 'Location of Event'),
      c('AESER', 'Serious Event'),
      c('AEACNOTH', 'Other Action Taken'),
      c('AEREL', 'Causality'),
      c('AEOUT', 'Outcome of Adverse Event'),
      c('AESCONG', 'Congenital Anomaly or Birth Defect'),
      c('AESDISAB', 'Persist or Signif Disability/Incapacity'),
      c('AESDTH', 'Results in Death'),
      c('AESHOSP', 'Requires or Prolongs Hospitalization'),
      c('AESLIFE', 'Is Life Threatening'),
      c('AESMIE', 'Other Medically Important Serious Event'),
      c('AETOXGR', 'Standard Toxicity Grade'),
      c('AESTDTC', 'Start Date/Time of Adverse Event'),
      c('AEENDTC', 'End Date/Time of Adverse Event'),
      n('AESTDY', 'Study Day of Start of Adverse Event'),
      n('AEENDY', 'Study Day of End of Adverse Event'),
      c('AEENRF', 'End Relative to Reference Period'),
    ],
  },
  {
    name: 'CM',
    label: 'Concomitant/Prior Medications',
    variables: [
      ...ID('CM'),
      c('CMTRT', 'Reported Name of Drug, Med, or Therapy'),
      c('CMCAT', 'Category for Medication'),
      c('CMCLASCD', 'Medication Class Code'),
      c('CMINDC', 'Indication'),
      n('CMDOSE', 'Dose per Administration'),
      c('CMDOSU', 'Dose Units'),
      c('CMDOSFRQ', 'Dosing Frequency per Interval'),
      c('CMROUTE', 'Route of Administration'),
      c('CMSTDTC', 'Start Date/Time of Medication'),
      c('CMENDTC', 'End Date/Time of Medication'),
      c('CMENRF', 'End Relative to Reference Period'),
      n('CMSTDY', 'Study Day of Start of Medication'),
    ],
  },
  {
    name: 'QS',
    label: 'Questionnaires',
    variables: [
      ...ID('QS'),
      c('QSTESTCD', 'Question Short Name'),
      c('QSTEST', 'Question Name'),
      c('QSCAT', 'Category of Question'),
      c('QSSCAT', 'Subcategory for Question'),
      c('QSORRES', 'Finding in Original Units'),
      c('QSORRESU', 'Original Units'),
      c('QSSTRESC', 'Character Result/Finding in Std Format'),
      n('QSSTRESN', 'Numeric Finding in Standard Units'),
      c('QSSTRESU', 'Standard Units'),
      c('QSDRVFL', 'Derived Flag'),
      c('QSEVINTX', 'Evaluation Interval Text'),
      ...VISIT,
      c('QSDTC', 'Date/Time of Finding'),
      n('QSDY', 'Study Day of Finding'),
    ],
  },
  {
    name: 'MK',
    label: 'Musculoskeletal System Findings',
    variables: [
      ...ID('MK'),
      c('MKTESTCD', 'Test or Examination Short Name'),
      c('MKTEST', 'Test or Examination Name'),
      c('MKCAT', 'Category for Test'),
      c('MKORRES', 'Result or Finding in Original Units'),
      c('MKORRESU', 'Original Units'),
      c('MKSTRESC', 'Character Result/Finding in Std Format'),
      n('MKSTRESN', 'Numeric Result/Finding in Standard Units'),
      c('MKSTRESU', 'Standard Units'),
      c('MKLOC', 'Location Used for the Measurement'),
      c('MKLAT', 'Laterality'),
      c('MKMETHOD', 'Method of Test or Examination'),
      c('MKDRVFL', 'Derived Flag'),
      c('MKEVAL', 'Evaluator'),
      ...VISIT,
      c('MKDTC', 'Date/Time of Collection'),
      n('MKDY', 'Study Day of Collection'),
    ],
  },
  {
    name: 'GF',
    label: 'Genomics Findings',
    variables: [
      ...ID('GF'),
      c('GFTESTCD', 'Short Name of Genomic Measurement'),
      c('GFTEST', 'Name of Genomic Measurement'),
      c('GFTSTDTL', 'Measurement, Test or Examination Detail'),
      c('GFORRES', 'Result or Finding in Original Units'),
      c('GFSTRESC', 'Character Result/Finding in Std Format'),
      c('GFSPEC', 'Specimen Type'),
      c('GFMETHOD', 'Method of Test or Examination'),
      c('GFGENREF', 'Genome Reference'),
      ...VISIT.slice(0, 2),
      c('GFDTC', 'Date/Time of Specimen Collection'),
      n('GFDY', 'Study Day of Specimen Collection'),
    ],
  },
  {
    name: 'IS',
    label: 'Immunogenicity Specimen Assessments',
    variables: [
      ...ID('IS'),
      c('ISTESTCD', 'Immunogenicity Test/Exam Short Name'),
      c('ISTEST', 'Immunogenicity Test or Examination Name'),
      c('ISBDAGNT', 'Binding Agent'),
      c('ISCAT', 'Category for Immunogenicity Test'),
      c('ISORRES', 'Results or Findings in Original Units'),
      c('ISORRESU', 'Original Units'),
      c('ISSTRESC', 'Character Result/Finding in Std Format'),
      n('ISSTRESN', 'Numeric Result/Finding in Standard Units'),
      c('ISSTRESU', 'Standard Units'),
      n('ISSTNRHI', 'Normal Range Upper Limit-Std Units'),
      c('ISNRIND', 'Reference Range Indicator'),
      c('ISDRVFL', 'Derived Flag'),
      c('ISSPEC', 'Specimen Type'),
      c('ISMETHOD', 'Method of Test or Examination'),
      ...VISIT.slice(0, 2),
      c('ISDTC', 'Date/Time of Collection'),
      n('ISDY', 'Study Day of Collection'),
    ],
  },
];

/** The variables of a domain in an export (arm variables only when unblinded). */
export function domainVariables(domain: SdtmDomain, unblinded: boolean): SdtmVariable[] {
  return domain.variables.filter((v) => unblinded || v.unblindedOnly !== true);
}
