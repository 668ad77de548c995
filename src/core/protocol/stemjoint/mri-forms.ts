import { defineForm } from '../define-protocol.js';
import type { ItemGroupDef } from '../definition-types.js';
import type { CodeItem, DecimalItem, IntegerItem } from '../item-types.js';
import type { StemjointCodeListId } from './code-lists.js';
import { t, UNITS } from './helpers.js';

/**
 * MOAKS subregions: patella medial (incl. median ridge) and lateral; femoral trochlea medial and
 * lateral, central and posterior femur medial and lateral; tibia anterior, central and posterior,
 * medial and lateral, and the subspinous region (15). Cartilage is read in the 14 subregions
 * without the subspinous region; bone marrow lesions in all 15 (UNVERIFIED split, data dictionary
 * open item 1; the lists are data and can be amended).
 */
export const MOAKS_SUBREGIONS = [
  ['pm', 'Patella, medial', 'Patella, medial'],
  ['pl', 'Patella, lateral', 'Patella, lateral'],
  ['ftm', 'Trochlea, medial', 'Trochlea, medial'],
  ['ftl', 'Trochlea, lateral', 'Trochlea, lateral'],
  ['fmc', 'Femur, centralt medialt', 'Femur, central medial'],
  ['flc', 'Femur, centralt lateralt', 'Femur, central lateral'],
  ['fmp', 'Femur, bagerst medialt', 'Femur, posterior medial'],
  ['flp', 'Femur, bagerst lateralt', 'Femur, posterior lateral'],
  ['tma', 'Tibia, forrest medialt', 'Tibia, anterior medial'],
  ['tmc', 'Tibia, centralt medialt', 'Tibia, central medial'],
  ['tmp', 'Tibia, bagerst medialt', 'Tibia, posterior medial'],
  ['tla', 'Tibia, forrest lateralt', 'Tibia, anterior lateral'],
  ['tlc', 'Tibia, centralt lateralt', 'Tibia, central lateral'],
  ['tlp', 'Tibia, bagerst lateralt', 'Tibia, posterior lateral'],
  ['ss', 'Tibia, subspinalt', 'Tibia, subspinous'],
] as const;

/** The 12 MOAKS osteophyte locations. */
export const MOAKS_OSTEOPHYTE_LOCATIONS = [
  ['p_sup', 'Patella, øverst', 'Patella, superior'],
  ['p_inf', 'Patella, nederst', 'Patella, inferior'],
  ['p_med', 'Patella, medialt', 'Patella, medial'],
  ['p_lat', 'Patella, lateralt', 'Patella, lateral'],
  ['f_tr_med', 'Femur, trochlea medialt', 'Femur, trochlear medial'],
  ['f_tr_lat', 'Femur, trochlea lateralt', 'Femur, trochlear lateral'],
  ['f_cen_med', 'Femur, centralt medialt', 'Femur, central medial'],
  ['f_cen_lat', 'Femur, centralt lateralt', 'Femur, central lateral'],
  ['f_post_med', 'Femur, bagerst medialt', 'Femur, posterior medial'],
  ['f_post_lat', 'Femur, bagerst lateralt', 'Femur, posterior lateral'],
  ['t_med', 'Tibia, medialt', 'Tibia, medial'],
  ['t_lat', 'Tibia, lateralt', 'Tibia, lateral'],
] as const;

const MENISCUS_PARTS = [
  ['med_ah', 'Medial menisk, forhorn', 'Medial meniscus, anterior horn'],
  ['med_body', 'Medial menisk, corpus', 'Medial meniscus, body'],
  ['med_ph', 'Medial menisk, bagerste horn', 'Medial meniscus, posterior horn'],
  ['lat_ah', 'Lateral menisk, forhorn', 'Lateral meniscus, anterior horn'],
  ['lat_body', 'Lateral menisk, corpus', 'Lateral meniscus, body'],
  ['lat_ph', 'Lateral menisk, bagerste horn', 'Lateral meniscus, posterior horn'],
] as const;

const EXTRUSIONS = [
  ['med', 'Medial ekstrusion (koronalt)', 'Medial extrusion (coronal)'],
  ['lat', 'Lateral ekstrusion (koronalt)', 'Lateral extrusion (coronal)'],
  ['med_ant', 'Medial menisk, ekstrusion fortil (sagittalt)', 'Medial meniscus, anterior extrusion (sagittal)'],
  ['lat_ant', 'Lateral menisk, ekstrusion fortil (sagittalt)', 'Lateral meniscus, anterior extrusion (sagittal)'],
] as const;

type Row = readonly [string, string, string];

function codeItem<const Id extends string>(
  id: Id,
  codeList: StemjointCodeListId,
  da: string,
  en: string,
  testCode: string,
): CodeItem<Id, StemjointCodeListId> {
  return { id, type: 'code', codeList, label: t(da, en), required: true, sdtm: { domain: 'MK', testCode } };
}

function cartilageItems(rows: readonly Row[]): CodeItem<string, StemjointCodeListId>[] {
  return rows
    .filter(([id]) => id !== 'ss')
    .flatMap(([id, da, en]) => [
      codeItem(
        `cart_area_${id}`,
        'moaks_cartilage',
        `Bruskskade (areal), ${da}`,
        `Cartilage loss (area), ${en}`,
        'CARTAREA',
      ),
      codeItem(
        `cart_ft_${id}`,
        'moaks_cartilage',
        `Fuldtykkelses bruskskade, ${da}`,
        `Full-thickness cartilage loss, ${en}`,
        'CARTFT',
      ),
    ]);
}

function bmlItems(rows: readonly Row[]): (CodeItem<string, StemjointCodeListId> | IntegerItem)[] {
  return rows.flatMap(([id, da, en]): (CodeItem<string, StemjointCodeListId> | IntegerItem)[] => [
    codeItem(
      `bml_size_${id}`,
      'moaks_bml',
      `Knoglemarvslæsion, størrelse, ${da}`,
      `Bone marrow lesion size, ${en}`,
      'BMLSIZE',
    ),
    codeItem(
      `bml_pct_${id}`,
      'moaks_bml',
      `Andel BML frem for cyste, ${da}`,
      `Share that is BML rather than cyst, ${en}`,
      'BMLPCT',
    ),
    {
      id: `bml_count_${id}`,
      type: 'integer',
      label: t(`Antal knoglemarvslæsioner, ${da}`, `Number of bone marrow lesions, ${en}`),
      unit: UNITS.count,
      range: { hardMin: 0, hardMax: 20, softMax: 5 },
      required: true,
      basis: 'unverified',
      note: 'Upper limit of the count is not specified by MOAKS; 20 is a plausibility bound.',
      sdtm: { domain: 'MK', testCode: 'BMLNUM' },
    },
  ]);
}

/**
 * MOAKS semi-quantitative MRI read of the index knee by a blinded reader (reader id, read date),
 * per subregion and location. Area and full-thickness cartilage grades are stored as two integers.
 */
export const mriMoaksForm = defineForm({
  id: 'mri_moaks',
  oid: 'F.MRI_MOAKS',
  title: t('MR-skanning: MOAKS', 'MRI: MOAKS'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'reader',
  sdtm: { domain: 'MK', category: 'MOAKS' },
  note: 'MK domain with MKMETHOD = MRI is an UNVERIFIED mapping; the MRI procedure itself maps to PR.',
  itemGroups: [
    {
      id: 'reading',
      oid: 'IG.MOAKS.READING',
      name: t('Skanning og beskrivelse', 'Scan and read'),
      items: [
        { id: 'mri_date', type: 'date', label: t('Skanningsdato', 'Scan date'), required: true },
        {
          id: 'knee_side',
          type: 'code',
          codeList: 'knee_side',
          label: t('Skannet knæ', 'Knee scanned'),
          required: true,
        },
        { id: 'reader_id', type: 'text', label: t('Beskriver (id)', 'Reader id'), maxLength: 50, required: true },
        { id: 'read_date', type: 'date', label: t('Beskrivelsesdato', 'Read date'), required: true },
        {
          id: 'reader_blinded',
          type: 'boolean',
          label: t('Beskriver blindet for behandling og tidspunkt', 'Reader blinded to treatment and time point'),
          required: true,
        },
        {
          id: 'image_quality',
          type: 'code',
          codeList: 'image_quality',
          label: t('Billedkvalitet', 'Image quality'),
          required: true,
        },
      ],
    },
    {
      id: 'cartilage',
      oid: 'IG.MOAKS.CARTILAGE',
      name: t('Brusk (14 subregioner)', 'Cartilage (14 subregions)'),
      items: cartilageItems(MOAKS_SUBREGIONS),
    },
    {
      id: 'bml',
      oid: 'IG.MOAKS.BML',
      name: t('Knoglemarvslæsioner (15 subregioner)', 'Bone marrow lesions (15 subregions)'),
      items: bmlItems(MOAKS_SUBREGIONS),
    },
    {
      id: 'osteophytes',
      oid: 'IG.MOAKS.OSTEOPHYTES',
      name: t('Osteofytter (12 lokalisationer)', 'Osteophytes (12 locations)'),
      items: MOAKS_OSTEOPHYTE_LOCATIONS.map(([id, da, en]) =>
        codeItem(`ost_${id}`, 'moaks_size', `Osteofyt, ${da}`, `Osteophyte, ${en}`, 'OSTEOPHY'),
      ),
    },
    {
      id: 'synovitis',
      oid: 'IG.MOAKS.SYNOVITIS',
      name: t('Synovitis', 'Synovitis'),
      items: [
        codeItem('hoffa_synovitis', 'moaks_size', 'Hoffa-synovitis', 'Hoffa-synovitis', 'HOFFASYN'),
        codeItem('effusion_synovitis', 'moaks_size', 'Effusion-synovitis', 'Effusion-synovitis', 'EFFSYN'),
      ],
    },
    {
      id: 'meniscus',
      oid: 'IG.MOAKS.MENISCUS',
      name: t('Menisker', 'Menisci'),
      items: [
        ...MENISCUS_PARTS.map(([id, da, en]) =>
          codeItem(`men_morph_${id}`, 'meniscus_morphology', `Morfologi, ${da}`, `Morphology, ${en}`, 'MENMORPH'),
        ),
        ...EXTRUSIONS.map(([id, da, en]) => codeItem(`men_ext_${id}`, 'meniscal_extrusion', da, en, 'MENEXTR')),
      ],
    },
  ],
});

/** Quantitative cartilage regions (Eckstein nomenclature). */
export const QMRI_REGIONS = [
  ['mt', 'medial tibia', 'medial tibia'],
  ['cmf', 'centralt medialt femur', 'central medial femur'],
  ['lt', 'lateral tibia', 'lateral tibia'],
  ['clf', 'centralt lateralt femur', 'central lateral femur'],
  ['p', 'patella', 'patella'],
  ['trf', 'trochlea femoris', 'femoral trochlea'],
] as const;

function qmriRegionGroup(row: Row): ItemGroupDef<StemjointCodeListId> {
  const [id, da, en] = row;
  const measure = (
    itemId: string,
    labelDa: string,
    labelEn: string,
    unit: DecimalItem['unit'],
    precision: number,
    range: DecimalItem['range'],
    testCode: string,
  ): DecimalItem => ({
    id: itemId,
    type: 'decimal',
    label: t(`${labelDa}, ${da}`, `${labelEn}, ${en}`),
    unit,
    precision,
    range,
    sdtm: { domain: 'MK', testCode },
  });
  return {
    id: `region_${id}`,
    oid: `IG.QMRI.${id.toUpperCase()}`,
    name: t(`Region: ${da}`, `Region: ${en}`),
    items: [
      measure(
        `thk_${id}_mm`,
        'Brusktykkelse (ThCtAB)',
        'Cartilage thickness (ThCtAB)',
        UNITS.mm,
        2,
        { hardMin: 0, softMax: 5, hardMax: 10 },
        'CARTTHK',
      ),
      measure(
        `vol_${id}_mm3`,
        'Bruskvolumen',
        'Cartilage volume',
        UNITS.mm3,
        0,
        { hardMin: 0, softMax: 6000, hardMax: 20000 },
        'CARTVOL',
      ),
      measure(
        `t2_${id}_ms`,
        'T2-relaksationstid',
        'T2 relaxation time',
        UNITS.ms,
        1,
        { hardMin: 0, softMin: 20, softMax: 80, hardMax: 200 },
        'T2',
      ),
      measure(
        `t1rho_${id}_ms`,
        'T1ρ-relaksationstid',
        'T1ρ relaxation time',
        UNITS.ms,
        1,
        { hardMin: 0, softMin: 20, softMax: 100, hardMax: 250 },
        'T1RHO',
      ),
    ],
  };
}

/**
 * Quantitative MRI of the index knee: cartilage thickness (mm) and volume (mm³) per region, T2 and
 * T1ρ (ms), and stress and strain, each with unit, method and analysis software version.
 */
export const mriQuantForm = defineForm({
  id: 'mri_quant',
  oid: 'F.MRI_QUANT',
  title: t('MR-skanning: kvantitativ analyse', 'MRI: quantitative analysis'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'reader',
  sdtm: { domain: 'MK', category: 'QUANTITATIVE MRI' },
  itemGroups: [
    {
      id: 'analysis',
      oid: 'IG.QMRI.ANALYSIS',
      name: t('Skanning og analyse', 'Scan and analysis'),
      items: [
        { id: 'mri_date', type: 'date', label: t('Skanningsdato', 'Scan date'), required: true },
        {
          id: 'knee_side',
          type: 'code',
          codeList: 'knee_side',
          label: t('Skannet knæ', 'Knee scanned'),
          required: true,
        },
        {
          id: 'field_strength_t',
          type: 'decimal',
          label: t('Feltstyrke (tesla)', 'Field strength (tesla)'),
          unit: UNITS.tesla,
          precision: 1,
          range: { hardMin: 0.2, softMin: 1.5, softMax: 3, hardMax: 11.7 },
          required: true,
        },
        { id: 'analyst_id', type: 'text', label: t('Analyseret af (id)', 'Analyst id'), maxLength: 50, required: true },
        { id: 'analysis_date', type: 'date', label: t('Analysedato', 'Analysis date'), required: true },
        {
          id: 'software',
          type: 'text',
          label: t('Analyseprogram', 'Analysis software'),
          maxLength: 100,
          required: true,
        },
        {
          id: 'software_version',
          type: 'text',
          label: t('Programversion', 'Software version'),
          maxLength: 40,
          required: true,
        },
        {
          id: 'segmentation_method',
          type: 'text',
          label: t('Segmenteringsmetode', 'Segmentation method'),
          maxLength: 200,
          required: true,
        },
      ],
    },
    ...QMRI_REGIONS.map(qmriRegionGroup),
    {
      id: 'biomechanics',
      oid: 'IG.QMRI.BIOMECHANICS',
      name: t('Stress og strain', 'Stress and strain'),
      items: [
        { id: 'biomech_region', type: 'code', codeList: 'qmri_region', label: t('Region', 'Region') },
        {
          id: 'stress_value',
          type: 'decimal',
          label: t('Stress', 'Stress'),
          precision: 3,
          range: { hardMin: 0, hardMax: 100000 },
          basis: 'unverified',
          note: 'Method for MRI-derived stress is not specified; value, unit and method are stored together.',
          sdtm: { domain: 'MK', testCode: 'STRESS' },
        },
        {
          id: 'stress_unit',
          type: 'code',
          codeList: 'stress_unit',
          label: t('Enhed for stress', 'Stress unit'),
          showIf: { op: 'answered', item: 'stress_value' },
          required: true,
        },
        {
          id: 'stress_method',
          type: 'text',
          label: t('Metode for stress', 'Stress method'),
          maxLength: 200,
          showIf: { op: 'answered', item: 'stress_value' },
          required: true,
        },
        {
          id: 'strain_value',
          type: 'decimal',
          label: t('Strain', 'Strain'),
          precision: 4,
          range: { hardMin: -100, hardMax: 100 },
          basis: 'unverified',
          note: 'Strain as percent or dimensionless ratio, per the unit item.',
          sdtm: { domain: 'MK', testCode: 'STRAIN' },
        },
        {
          id: 'strain_unit',
          type: 'code',
          codeList: 'strain_unit',
          label: t('Enhed for strain', 'Strain unit'),
          showIf: { op: 'answered', item: 'strain_value' },
          required: true,
        },
        {
          id: 'strain_method',
          type: 'text',
          label: t('Metode for strain', 'Strain method'),
          maxLength: 200,
          showIf: { op: 'answered', item: 'strain_value' },
          required: true,
        },
      ],
    },
  ],
});
