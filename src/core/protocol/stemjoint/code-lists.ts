import { defineCodeList } from '../define-protocol.js';
import { integerCodes, t, textCodes } from './helpers.js';

/**
 * Code lists of the STEMJOINT protocol with Danish and English labels (our own wording).
 * KOOS answer options carry neutral positional labels: the validated KOOS wording is licensed
 * text that sites install from the instrument owner's translation file.
 */

const sex = defineCodeList({
  id: 'sex',
  oid: 'CL.SEX',
  name: t('Køn', 'Sex'),
  dataType: 'text',
  items: textCodes([
    ['female', 'Kvinde', 'Female'],
    ['male', 'Mand', 'Male'],
  ]),
});

const oaCompartment = defineCodeList({
  id: 'oa_compartment',
  oid: 'CL.OA_COMPARTMENT',
  name: t('Artrosekompartment', 'OA compartment'),
  dataType: 'text',
  items: textCodes([
    ['medial', 'Medialt', 'Medial'],
    ['lateral', 'Lateralt', 'Lateral'],
    ['dual', 'Begge (medialt og lateralt)', 'Dual (medial and lateral)'],
    ['none', 'Ingen', 'None'],
  ]),
});

const kneeSide = defineCodeList({
  id: 'knee_side',
  oid: 'CL.KNEE_SIDE',
  name: t('Knæ (side)', 'Knee side'),
  dataType: 'text',
  items: textCodes([
    ['right', 'Højre', 'Right'],
    ['left', 'Venstre', 'Left'],
  ]),
});

const yesNoUnknown = defineCodeList({
  id: 'yes_no_unknown',
  oid: 'CL.NY_UNK',
  name: t('Ja/nej/ukendt', 'Yes/no/unknown'),
  dataType: 'text',
  items: textCodes([
    ['yes', 'Ja', 'Yes'],
    ['no', 'Nej', 'No'],
    ['unknown', 'Ukendt', 'Unknown'],
  ]),
});

const smoking = defineCodeList({
  id: 'smoking_status',
  oid: 'CL.SMOKING',
  name: t('Rygestatus', 'Smoking status'),
  dataType: 'text',
  items: textCodes([
    ['never', 'Aldrig røget', 'Never smoked'],
    ['former', 'Tidligere ryger', 'Former smoker'],
    ['current', 'Ryger', 'Current smoker'],
  ]),
});

const employment = defineCodeList({
  id: 'employment_status',
  oid: 'CL.EMPLOYMENT',
  name: t('Beskæftigelse', 'Employment status'),
  dataType: 'text',
  items: textCodes([
    ['employed', 'I arbejde', 'Employed'],
    ['unemployed', 'Ledig', 'Unemployed'],
    ['sick_leave', 'Sygemeldt', 'On sick leave'],
    ['retired', 'Pensioneret', 'Retired'],
    ['student', 'Studerende', 'Student'],
    ['other', 'Andet', 'Other'],
  ]),
});

const iaInjectionType = defineCodeList({
  id: 'ia_injection_type',
  oid: 'CL.IA_INJECTION_TYPE',
  name: t('Tidligere ledinjektion', 'Previous intra-articular injection'),
  dataType: 'text',
  items: textCodes([
    ['corticosteroid', 'Binyrebarkhormon', 'Corticosteroid'],
    ['hyaluronic_acid', 'Hyaluronsyre', 'Hyaluronic acid'],
    ['prp', 'Blodpladeberiget plasma (PRP)', 'Platelet-rich plasma (PRP)'],
    ['other', 'Andet', 'Other'],
  ]),
});

const klVariant = defineCodeList({
  id: 'kl_definition',
  oid: 'CL.KL_DEFINITION',
  name: t('Kellgren–Lawrence-definition', 'Kellgren–Lawrence definition used'),
  dataType: 'text',
  note: 'Sources differ on whether KL grade 2 means possible or definite joint-space narrowing; the variant used is recorded.',
  items: textCodes([
    ['possible_jsn', 'Grad 2 = mulig ledspalteforsnævring', 'Grade 2 = possible joint-space narrowing'],
    ['definite_jsn', 'Grad 2 = sikker ledspalteforsnævring', 'Grade 2 = definite joint-space narrowing'],
  ]),
});

const alignmentDirection = defineCodeList({
  id: 'alignment_direction',
  oid: 'CL.ALIGNMENT',
  name: t('Akseafvigelse', 'Alignment direction'),
  dataType: 'text',
  items: textCodes([
    ['neutral', 'Neutral', 'Neutral'],
    ['varus', 'Varus', 'Varus'],
    ['valgus', 'Valgus', 'Valgus'],
  ]),
});

const signatureMode = defineCodeList({
  id: 'signature_mode',
  oid: 'CL.SIGNATURE_MODE',
  name: t('Underskriftsform', 'Signature mode'),
  dataType: 'text',
  items: textCodes([
    ['wet_ink', 'Håndskrevet på papir', 'Wet-ink signature on paper'],
    ['electronic', 'Elektronisk underskrift', 'Electronic signature'],
  ]),
});

/**
 * The five KOOS answer scales, all coded 0–4 with 0 = no problem. Labels are neutral and positional
 * (our own); the scale letter says which validated anchor wording the translation file supplies.
 */
function koosScale<const Id extends string>(id: Id, letter: string, kindDa: string, kindEn: string) {
  return defineCodeList({
    id,
    oid: `CL.KOOS_${letter}`,
    name: t(`KOOS svarskala ${letter} (${kindDa})`, `KOOS answer scale ${letter} (${kindEn})`),
    dataType: 'integer',
    ordered: true,
    note: 'Neutral labels only; the validated anchor wording is licensed and loaded from the site-installed translation file.',
    items: integerCodes([
      [0, 'Trin 0 af 4 (intet problem)', 'Level 0 of 4 (no problem)'],
      [1, 'Trin 1 af 4', 'Level 1 of 4'],
      [2, 'Trin 2 af 4', 'Level 2 of 4'],
      [3, 'Trin 3 af 4', 'Level 3 of 4'],
      [4, 'Trin 4 af 4 (størst problem)', 'Level 4 of 4 (most problem)'],
    ]),
  });
}

const nrsRecall = defineCodeList({
  id: 'nrs_recall',
  oid: 'CL.NRS_RECALL',
  name: t('Tidsramme for smertescore', 'Pain score recall period'),
  dataType: 'text',
  basis: 'unverified',
  note: 'The protocol recall period is not known from the registry; it is stored with every NRS value.',
  items: textCodes([
    ['now', 'Lige nu', 'Right now'],
    ['last_24h', 'Seneste 24 timer', 'Last 24 hours'],
    ['last_7d', 'Seneste 7 dage', 'Last 7 days'],
  ]),
});

const nrsAspect = defineCodeList({
  id: 'nrs_aspect',
  oid: 'CL.NRS_ASPECT',
  name: t('Smerteaspekt', 'Pain aspect rated'),
  dataType: 'text',
  items: textCodes([
    ['average', 'Gennemsnitlig smerte', 'Average pain'],
    ['worst', 'Værste smerte', 'Worst pain'],
    ['current', 'Aktuel smerte', 'Current pain'],
  ]),
});

const swelling = defineCodeList({
  id: 'swelling',
  oid: 'CL.SWELLING',
  name: t('Hævelse af knæet', 'Knee swelling'),
  dataType: 'text',
  ordered: true,
  items: textCodes([
    ['none', 'Ingen', 'None'],
    ['mild', 'Let', 'Mild'],
    ['moderate', 'Moderat', 'Moderate'],
    ['severe', 'Svær', 'Severe'],
  ]),
});

const strokeTest = defineCodeList({
  id: 'stroke_test',
  oid: 'CL.STROKE_TEST',
  name: t('Stryge-test (effusion)', 'Stroke test (effusion)'),
  dataType: 'text',
  ordered: true,
  items: textCodes([
    ['0', '0: ingen væskebølge', '0: no wave'],
    ['trace', 'Spor: lille bølge', 'Trace: small wave'],
    ['1+', '1+: stor bølge efter strygning nedad lateralt', '1+: large bulge after the lateral downstroke'],
    ['2+', '2+: væsken vender selv tilbage efter opstrygning', '2+: fluid returns by itself after the upstroke'],
    ['3+', '3+: væsken kan ikke flyttes fra medialsiden', '3+: fluid cannot be moved off the medial side'],
  ]),
});

const romMode = defineCodeList({
  id: 'rom_mode',
  oid: 'CL.ROM_MODE',
  name: t('Bevægelighedsmåling', 'Range-of-motion mode'),
  dataType: 'text',
  items: textCodes([
    ['active', 'Aktiv', 'Active'],
    ['passive', 'Passiv', 'Passive'],
  ]),
});

const circumferenceMethod = defineCodeList({
  id: 'circumference_method',
  oid: 'CL.CIRC_METHOD',
  name: t('Målemetode', 'Measurement method'),
  dataType: 'text',
  basis: 'unverified',
  note: 'Whether "quadriceps muscle diameter" is measured by tape or ultrasound is open; the method is stored.',
  items: textCodes([
    ['tape', 'Målebånd', 'Tape measure'],
    ['ultrasound', 'Ultralyd', 'Ultrasound'],
  ]),
});

const kneeLandmark = defineCodeList({
  id: 'knee_circ_landmark',
  oid: 'CL.KNEE_LANDMARK',
  name: t('Målested for knæomkreds', 'Knee circumference landmark'),
  dataType: 'text',
  items: textCodes([
    ['mid_patella', 'Midt på knæskallen', 'Mid-patella'],
    ['joint_line', 'Ledlinjen', 'Joint line'],
  ]),
});

const imageQuality = defineCodeList({
  id: 'image_quality',
  oid: 'CL.IMAGE_QUALITY',
  name: t('Billedkvalitet', 'Image quality'),
  dataType: 'text',
  items: textCodes([
    ['adequate', 'Tilstrækkelig', 'Adequate'],
    ['suboptimal', 'Suboptimal men vurderbar', 'Suboptimal but readable'],
    ['non_diagnostic', 'Ikke vurderbar', 'Non-diagnostic'],
  ]),
});

const moaksCartilage = defineCodeList({
  id: 'moaks_cartilage',
  oid: 'CL.MOAKS_CART',
  name: t('MOAKS brusk (andel af subregion)', 'MOAKS cartilage (share of subregion)'),
  dataType: 'integer',
  ordered: true,
  items: integerCodes([
    [0, '0: ingen', '0: none'],
    [1, '1: under 10 %', '1: less than 10%'],
    [2, '2: 10–75 %', '2: 10–75%'],
    [3, '3: over 75 %', '3: more than 75%'],
  ]),
});

const moaksBml = defineCodeList({
  id: 'moaks_bml',
  oid: 'CL.MOAKS_BML',
  name: t('MOAKS knoglemarvslæsion (andel af subregion)', 'MOAKS bone marrow lesion (share of subregion)'),
  dataType: 'integer',
  ordered: true,
  items: integerCodes([
    [0, '0: ingen', '0: none'],
    [1, '1: under 33 %', '1: less than 33%'],
    [2, '2: 33–66 %', '2: 33–66%'],
    [3, '3: over 66 %', '3: more than 66%'],
  ]),
});

const moaksSize = defineCodeList({
  id: 'moaks_size',
  oid: 'CL.MOAKS_SIZE',
  name: t('MOAKS størrelse (osteofyt, synovitis)', 'MOAKS size (osteophyte, synovitis)'),
  dataType: 'integer',
  ordered: true,
  items: integerCodes([
    [0, '0: ingen', '0: none'],
    [1, '1: lille', '1: small'],
    [2, '2: middel', '2: medium'],
    [3, '3: stor', '3: large'],
  ]),
});

const meniscusMorphology = defineCodeList({
  id: 'meniscus_morphology',
  oid: 'CL.MENISCUS_MORPH',
  name: t('Menisk, morfologi', 'Meniscus morphology'),
  dataType: 'text',
  basis: 'unverified',
  note: 'Full MOAKS meniscus code list not verified (data dictionary open item 1).',
  items: textCodes([
    ['normal', 'Normal', 'Normal'],
    ['signal', 'Signalforandring', 'Intrasubstance signal'],
    ['vertical_tear', 'Vertikal læsion', 'Vertical tear'],
    ['horizontal_tear', 'Horisontal læsion', 'Horizontal tear'],
    ['complex_tear', 'Kompleks læsion', 'Complex tear'],
    ['root_tear', 'Rodlæsion', 'Root tear'],
    ['partial_maceration', 'Delvis maceration', 'Partial maceration'],
    ['progressive_maceration', 'Udtalt maceration', 'Progressive partial maceration'],
    ['complete_maceration', 'Total maceration', 'Complete maceration'],
    ['cyst', 'Meniskcyste', 'Meniscal cyst'],
    ['hypertrophy', 'Hypertrofi', 'Hypertrophy'],
  ]),
});

const meniscalExtrusion = defineCodeList({
  id: 'meniscal_extrusion',
  oid: 'CL.MENISCUS_EXTR',
  name: t('Menisk, ekstrusion', 'Meniscal extrusion'),
  dataType: 'integer',
  ordered: true,
  basis: 'unverified',
  note: 'Grades 0–3; the millimetre cut-points are not verified.',
  items: integerCodes([
    [0, '0: ingen', '0: none'],
    [1, '1: let', '1: mild'],
    [2, '2: moderat', '2: moderate'],
    [3, '3: udtalt', '3: severe'],
  ]),
});

const qmriRegion = defineCodeList({
  id: 'qmri_region',
  oid: 'CL.QMRI_REGION',
  name: t('Bruskregion (Eckstein)', 'Cartilage region (Eckstein)'),
  dataType: 'text',
  items: textCodes([
    ['MT', 'Medial tibia', 'Medial tibia (MT)'],
    ['cMF', 'Central medial femur', 'Central medial femur (cMF)'],
    ['LT', 'Lateral tibia', 'Lateral tibia (LT)'],
    ['cLF', 'Central lateral femur', 'Central lateral femur (cLF)'],
    ['P', 'Patella', 'Patella (P)'],
    ['TrF', 'Trochlea femoris', 'Femoral trochlea (TrF)'],
  ]),
});

const stressUnit = defineCodeList({
  id: 'stress_unit',
  oid: 'CL.STRESS_UNIT',
  name: t('Enhed for stress', 'Stress unit'),
  dataType: 'text',
  items: textCodes([
    ['kPa', 'kPa', 'kPa'],
    ['MPa', 'MPa', 'MPa'],
  ]),
});

const strainUnit = defineCodeList({
  id: 'strain_unit',
  oid: 'CL.STRAIN_UNIT',
  name: t('Enhed for strain', 'Strain unit'),
  dataType: 'text',
  items: textCodes([
    ['%', 'Procent', 'Percent'],
    ['1', 'Dimensionsløs (forhold)', 'Dimensionless (ratio)'],
  ]),
});

const hlaResolution = defineCodeList({
  id: 'hla_resolution',
  oid: 'CL.HLA_RESOLUTION',
  name: t('HLA-opløsning', 'HLA typing resolution'),
  dataType: 'text',
  ordered: true,
  items: textCodes([
    ['low', 'Lav (første felt, fx B*14)', 'Low (first field, e.g. B*14)'],
    ['intermediate', 'Mellem (NMDP-allelkode, fx B*14:HUJ)', 'Intermediate (NMDP allele code, e.g. B*14:HUJ)'],
    ['high', 'Høj (andet felt, fx B*14:01)', 'High (second field, e.g. B*14:01)'],
    ['allele', 'Allelniveau (tre-fire felter)', 'Allele level (three to four fields)'],
  ]),
});

const hlaMethod = defineCodeList({
  id: 'hla_method',
  oid: 'CL.HLA_METHOD',
  name: t('HLA-typningsmetode', 'HLA typing method'),
  dataType: 'text',
  items: textCodes([
    ['SSP', 'SSP (sekvensspecifikke primere)', 'SSP (sequence-specific primers)'],
    ['SSO', 'SSO (sekvensspecifikke oligonukleotider)', 'SSO (sequence-specific oligonucleotides)'],
    ['SBT', 'SBT (sekventering)', 'SBT (sequence-based typing)'],
    ['NGS', 'NGS (næste generations sekventering)', 'NGS (next-generation sequencing)'],
  ]),
});

const hlaClass = defineCodeList({
  id: 'hla_class',
  oid: 'CL.HLA_CLASS',
  name: t('HLA-klasse', 'HLA class'),
  dataType: 'text',
  items: textCodes([
    ['I', 'Klasse I', 'Class I'],
    ['II', 'Klasse II', 'Class II'],
  ]),
});

const blindingGuess = defineCodeList({
  id: 'blinding_guess',
  oid: 'CL.BLINDING_GUESS',
  name: t('Gæt på behandling', 'Treatment guess'),
  dataType: 'text',
  items: textCodes([
    // Answer codes deliberately differ from the arm codes, so that no blinded response or export
    // ever contains an arm code, not even as somebody's guess.
    ['cells', 'Stamceller (AD-MSC)', 'Stem cells (AD-MSC)'],
    ['saline', 'Saltvand', 'Saline'],
    ['dont_know', 'Ved ikke', "Don't know"],
  ]),
});

const ctcaeGrade = defineCodeList({
  id: 'ctcae_grade',
  oid: 'CL.CTCAE_GRADE',
  name: t('CTCAE-grad (v5)', 'CTCAE grade (v5)'),
  dataType: 'integer',
  ordered: true,
  items: integerCodes([
    [1, '1: let', '1: mild'],
    [2, '2: moderat', '2: moderate'],
    [3, '3: svær eller medicinsk betydende', '3: severe or medically significant'],
    [4, '4: livstruende', '4: life-threatening'],
    [5, '5: død', '5: death'],
  ]),
});

const causality = defineCodeList({
  id: 'causality',
  oid: 'CL.CAUSALITY',
  name: t('Årsagssammenhæng', 'Causality'),
  dataType: 'text',
  note: 'Binary, as in the CTR definition of an adverse reaction (a reasonable possibility of a causal relationship).',
  items: textCodes([
    ['related', 'Rimelig mulighed for sammenhæng', 'Reasonable possibility (related)'],
    ['not_related', 'Ingen rimelig mulighed for sammenhæng', 'No reasonable possibility (not related)'],
  ]),
});

const expectedness = defineCodeList({
  id: 'expectedness',
  oid: 'CL.EXPECTEDNESS',
  name: t('Forventethed (i forhold til RSI)', 'Expectedness (against the RSI)'),
  dataType: 'text',
  items: textCodes([
    ['expected', 'Forventet', 'Expected'],
    ['unexpected', 'Uventet', 'Unexpected'],
  ]),
});

const aeAction = defineCodeList({
  id: 'ae_action',
  oid: 'CL.AE_ACTION',
  name: t('Tiltag', 'Action taken'),
  dataType: 'text',
  note: 'The trial treatment is a single injection, so no dose change applies; the list records the management of the event.',
  items: textCodes([
    ['none', 'Ingen', 'None'],
    ['medication', 'Medicinsk behandling', 'Medication given'],
    ['non_drug_therapy', 'Ikke-medicinsk behandling', 'Non-drug therapy'],
    ['joint_aspiration', 'Ledpunktur', 'Joint aspiration'],
    ['surgery', 'Operation', 'Surgery'],
    ['hospitalisation', 'Indlæggelse', 'Hospitalisation'],
    ['other', 'Andet', 'Other'],
  ]),
});

const aeOutcome = defineCodeList({
  id: 'ae_outcome',
  oid: 'CL.AE_OUTCOME',
  name: t('Udfald', 'Outcome'),
  dataType: 'text',
  items: textCodes([
    ['recovered', 'Rask', 'Recovered/resolved'],
    ['recovering', 'I bedring', 'Recovering/resolving'],
    ['not_recovered', 'Ikke rask', 'Not recovered/not resolved'],
    ['recovered_with_sequelae', 'Rask med følger', 'Recovered with sequelae'],
    ['fatal', 'Dødelig', 'Fatal'],
    ['unknown', 'Ukendt', 'Unknown'],
  ]),
});

const route = defineCodeList({
  id: 'route',
  oid: 'CL.ROUTE',
  name: t('Administrationsvej', 'Route'),
  dataType: 'text',
  items: textCodes([
    ['oral', 'Oral', 'Oral'],
    ['topical', 'Kutan/lokal', 'Topical'],
    ['intra_articular', 'Intraartikulær', 'Intra-articular'],
    ['intravenous', 'Intravenøs', 'Intravenous'],
    ['intramuscular', 'Intramuskulær', 'Intramuscular'],
    ['subcutaneous', 'Subkutan', 'Subcutaneous'],
    ['rectal', 'Rektal', 'Rectal'],
    ['other', 'Andet', 'Other'],
  ]),
});

const doseUnit = defineCodeList({
  id: 'dose_unit',
  oid: 'CL.DOSE_UNIT',
  name: t('Dosisenhed', 'Dose unit'),
  dataType: 'text',
  items: textCodes([
    ['mg', 'mg', 'mg'],
    ['g', 'g', 'g'],
    ['ug', 'µg', 'µg'],
    ['mL', 'mL', 'mL'],
    ['IU', 'IE', 'IU'],
    ['tablet', 'Tablet', 'Tablet'],
    ['other', 'Andet', 'Other'],
  ]),
});

const eosStatus = defineCodeList({
  id: 'eos_status',
  oid: 'CL.EOS_STATUS',
  name: t('Status ved forsøgsafslutning', 'End-of-study status'),
  dataType: 'text',
  items: textCodes([
    ['completed', 'Gennemført', 'Completed'],
    ['early_termination', 'Afsluttet før tid', 'Early termination'],
  ]),
});

const eosReason = defineCodeList({
  id: 'eos_reason',
  oid: 'CL.EOS_REASON',
  name: t('Årsag til tidlig afslutning', 'Reason for early termination'),
  dataType: 'text',
  items: textCodes([
    ['consent_withdrawn', 'Samtykke trukket tilbage', 'Consent withdrawn'],
    ['lost_to_follow_up', 'Tabt til opfølgning', 'Lost to follow-up'],
    ['adverse_event', 'Utilsigtet hændelse', 'Adverse event'],
    ['death', 'Død', 'Death'],
    ['investigator_decision', 'Investigators beslutning', 'Investigator decision'],
    ['not_treated', 'Ikke behandlet', 'Not treated'],
    ['sponsor_terminated', 'Forsøget stoppet af sponsor', 'Study terminated by sponsor'],
    ['other', 'Andet', 'Other'],
  ]),
});

const unscheduledReason = defineCodeList({
  id: 'unscheduled_reason',
  oid: 'CL.UNSCHED_REASON',
  name: t('Årsag til ekstra besøg', 'Reason for unscheduled visit'),
  dataType: 'text',
  items: textCodes([
    ['adverse_event', 'Utilsigtet hændelse', 'Adverse event'],
    ['knee_symptoms', 'Knæsymptomer', 'Knee symptoms'],
    ['safety_follow_up', 'Sikkerhedsopfølgning', 'Safety follow-up'],
    ['missed_visit', 'Erstatning for udeblevet besøg', 'Replacement of a missed visit'],
    ['other', 'Andet', 'Other'],
  ]),
});

const deviationCategory = defineCodeList({
  id: 'deviation_category',
  oid: 'CL.DV_CATEGORY',
  name: t('Type af protokolafvigelse', 'Protocol deviation category'),
  dataType: 'text',
  items: textCodes([
    ['visit_window', 'Besøg uden for tidsvindue', 'Visit outside window'],
    ['missed_assessment', 'Manglende undersøgelse', 'Missed assessment'],
    ['eligibility', 'Inklusion/eksklusion', 'Eligibility'],
    ['consent', 'Samtykke', 'Informed consent'],
    ['investigational_product', 'Forsøgsprodukt', 'Investigational product'],
    ['blinding', 'Blinding', 'Blinding'],
    ['procedure', 'Procedure', 'Procedure'],
    ['safety_reporting', 'Sikkerhedsindberetning', 'Safety reporting'],
    ['other', 'Andet', 'Other'],
  ]),
});

const deviationSeverity = defineCodeList({
  id: 'deviation_severity',
  oid: 'CL.DV_SEVERITY',
  name: t('Alvorlighed af afvigelse', 'Deviation severity'),
  dataType: 'text',
  items: textCodes([
    ['major', 'Væsentlig', 'Major'],
    ['minor', 'Mindre', 'Minor'],
  ]),
});

const detectedBy = defineCodeList({
  id: 'detected_by',
  oid: 'CL.DETECTED_BY',
  name: t('Opdaget af', 'Detected by'),
  dataType: 'text',
  items: textCodes([
    ['system', 'Systemet (automatisk)', 'System (automatic)'],
    ['site', 'Forsøgsstedet', 'Site'],
    ['monitor', 'Monitor', 'Monitor'],
    ['data_manager', 'Datamanager', 'Data manager'],
  ]),
});

const productType = defineCodeList({
  id: 'product_type',
  oid: 'CL.PRODUCT_TYPE',
  name: t('Produkttype', 'Product type'),
  dataType: 'text',
  items: textCodes([
    ['admsc', 'Allogene fedtvævsafledte mesenkymale stamceller', 'Allogeneic adipose-derived mesenchymal stem cells'],
    ['saline', 'Saltvand 0,9 %', 'Saline 0.9%'],
  ]),
});

const eligibilityOutcome = defineCodeList({
  id: 'donor_eligibility',
  oid: 'CL.DONOR_ELIGIBILITY',
  name: t('Donorvurdering', 'Donor eligibility'),
  dataType: 'text',
  items: textCodes([
    ['eligible', 'Egnet', 'Eligible'],
    ['not_eligible', 'Ikke egnet', 'Not eligible'],
  ]),
});

const labResult = defineCodeList({
  id: 'lab_result',
  oid: 'CL.LAB_RESULT',
  name: t('Testresultat', 'Test result'),
  dataType: 'text',
  items: textCodes([
    ['negative', 'Negativ', 'Negative'],
    ['positive', 'Positiv', 'Positive'],
    ['not_done', 'Ikke udført', 'Not done'],
  ]),
});

const sterility = defineCodeList({
  id: 'sterility_result',
  oid: 'CL.STERILITY',
  name: t('Sterilitet (efter frigivelse)', 'Sterility (post-release)'),
  dataType: 'text',
  items: textCodes([
    ['pending', 'Afventer', 'Pending'],
    ['no_growth', 'Ingen vækst', 'No growth'],
    ['growth', 'Vækst', 'Growth'],
  ]),
});

const appearance = defineCodeList({
  id: 'appearance',
  oid: 'CL.APPEARANCE',
  name: t('Udseende', 'Appearance'),
  dataType: 'text',
  items: textCodes([
    ['conforms', 'Som specificeret', 'Conforms'],
    ['does_not_conform', 'Afviger', 'Does not conform'],
  ]),
});

const releaseDecision = defineCodeList({
  id: 'release_decision',
  oid: 'CL.RELEASE',
  name: t('Frigivelse', 'Release decision'),
  dataType: 'text',
  items: textCodes([
    ['released', 'Frigivet', 'Released'],
    ['rejected', 'Afvist', 'Rejected'],
  ]),
});

/** Every code list of the STEMJOINT protocol. */
export const STEMJOINT_CODE_LISTS = [
  sex,
  oaCompartment,
  kneeSide,
  yesNoUnknown,
  smoking,
  employment,
  iaInjectionType,
  klVariant,
  alignmentDirection,
  signatureMode,
  koosScale('koos_a', 'A', 'intensitet', 'intensity'),
  koosScale('koos_b', 'B', 'hyppighed', 'frequency'),
  koosScale('koos_c', 'C', 'omvendt evne', 'reversed ability'),
  koosScale('koos_d', 'D', 'tidsmæssig hyppighed', 'time frequency'),
  koosScale('koos_e', 'E', 'grad', 'extent'),
  nrsRecall,
  nrsAspect,
  swelling,
  strokeTest,
  romMode,
  circumferenceMethod,
  kneeLandmark,
  imageQuality,
  moaksCartilage,
  moaksBml,
  moaksSize,
  meniscusMorphology,
  meniscalExtrusion,
  qmriRegion,
  stressUnit,
  strainUnit,
  hlaResolution,
  hlaMethod,
  hlaClass,
  blindingGuess,
  ctcaeGrade,
  causality,
  expectedness,
  aeAction,
  aeOutcome,
  route,
  doseUnit,
  eosStatus,
  eosReason,
  unscheduledReason,
  deviationCategory,
  deviationSeverity,
  detectedBy,
  productType,
  eligibilityOutcome,
  labResult,
  sterility,
  appearance,
  releaseDecision,
] as const;

/** The id of a STEMJOINT code list; helpers that build code items use it so typos do not compile. */
export type StemjointCodeListId = (typeof STEMJOINT_CODE_LISTS)[number]['id'];
