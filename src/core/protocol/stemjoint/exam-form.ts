import { defineForm } from '../define-protocol.js';
import type { ItemGroupDef } from '../definition-types.js';
import { t, UNITS } from './helpers.js';

/** Knee sides examined; both knees are measured so the index knee can be compared with the other. */
export const KNEE_SIDES = ['right', 'left'] as const;

/** A knee side. */
export type KneeSide = (typeof KNEE_SIDES)[number];

const SIDE_LABEL: Record<KneeSide, [string, string]> = { right: ['højre', 'right'], left: ['venstre', 'left'] };

/**
 * The examination items of one knee, ids prefixed with the side (`right_flexion_deg`). Effusion is
 * derived: stroke test ≥ trace or patellar tap positive (spec §6), with three-valued logic so that
 * a positive tap decides it even when the stroke test is missing.
 */
function kneeExamGroup<const S extends KneeSide>(side: S) {
  const [da, en] = SIDE_LABEL[side];
  const mk = (testCode: string) => ({ domain: 'MK', testCode }) as const;
  return {
    id: `${side}_knee`,
    oid: `IG.EXAM.${side.toUpperCase()}`,
    name: t(`Knæ, ${da}`, `Knee, ${en}`),
    items: [
      {
        id: `${side}_flexion_deg`,
        type: 'integer',
        label: t(`Fleksion, ${da} knæ (grader)`, `Flexion, ${en} knee (degrees)`),
        unit: UNITS.deg,
        range: { hardMin: 0, softMin: 60, softMax: 150, hardMax: 160 },
        required: true,
        sdtm: mk('FLEXION'),
      },
      {
        id: `${side}_extension_deg`,
        type: 'integer',
        label: t(
          `Ekstension, ${da} knæ (grader; manglende ekstension negativ)`,
          `Extension, ${en} knee (degrees; deficit negative)`,
        ),
        unit: UNITS.deg,
        range: { hardMin: -40, softMin: -20, softMax: 10, hardMax: 20 },
        required: true,
        sdtm: mk('EXTENSN'),
      },
      {
        id: `${side}_stroke_test`,
        type: 'code',
        codeList: 'stroke_test',
        label: t(`Stryge-test, ${da} knæ`, `Stroke test, ${en} knee`),
        required: true,
        sdtm: mk('STROKE'),
      },
      {
        id: `${side}_patellar_tap`,
        type: 'boolean',
        label: t(`Patellar tap positiv, ${da} knæ`, `Patellar tap positive, ${en} knee`),
        required: true,
        sdtm: mk('PATTAP'),
      },
      {
        id: `${side}_effusion`,
        type: 'boolean',
        label: t(`Ledvæske (effusion), ${da} knæ`, `Effusion, ${en} knee`),
        derivation: {
          method: 'expression',
          inputs: [{ item: `${side}_stroke_test` }, { item: `${side}_patellar_tap` }],
          expression: {
            op: 'or',
            conditions: [
              { op: 'in', item: `${side}_stroke_test`, values: ['trace', '1+', '2+', '3+'] },
              { op: 'eq', item: `${side}_patellar_tap`, value: true },
            ],
          },
        },
        basis: 'design',
        note: 'Same rule as deriveEffusion in src/core/scoring; kept as an expression so any engine can evaluate it.',
        sdtm: mk('EFFUSION'),
      },
      {
        id: `${side}_knee_circ_cm`,
        type: 'decimal',
        label: t(`Knæomkreds, ${da} (cm)`, `Knee circumference, ${en} (cm)`),
        unit: UNITS.cm,
        precision: 1,
        range: { hardMin: 20, softMin: 28, softMax: 60, hardMax: 80 },
        required: true,
        sdtm: mk('KNEECIRC'),
      },
      {
        id: `${side}_thigh_circ_cm`,
        type: 'decimal',
        label: t(`Låromkreds (quadriceps), ${da} (cm)`, `Thigh (quadriceps) circumference, ${en} (cm)`),
        unit: UNITS.cm,
        precision: 1,
        range: { hardMin: 20, softMin: 30, softMax: 80, hardMax: 100 },
        required: true,
        sdtm: mk('THIGHCIR'),
      },
      {
        id: `${side}_thigh_distance_cm`,
        type: 'decimal',
        label: t(
          `Afstand over knæskallens overkant, ${da} (cm)`,
          `Distance above the superior patellar pole, ${en} (cm)`,
        ),
        unit: UNITS.cm,
        precision: 1,
        range: { hardMin: 5, softMin: 10, softMax: 20, hardMax: 25 },
        required: true,
        basis: 'default',
        note: 'Usually 15 cm above the superior pole of the patella; the distance used is stored with each measurement.',
      },
    ],
  } as const satisfies ItemGroupDef;
}

/**
 * Clinical examination of both knees: range of motion, effusion tests (stroke test, patellar tap,
 * derived effusion), knee circumference at mid-patella and thigh circumference at a stated distance
 * above the patella, cm to one decimal.
 */
export const clinicalExamForm = defineForm({
  id: 'clinical_exam',
  oid: 'F.CLINICAL_EXAM',
  title: t('Klinisk undersøgelse af knæene', 'Clinical knee examination'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'site',
  sdtm: { domain: 'MK' },
  itemGroups: [
    {
      id: 'general',
      oid: 'IG.EXAM.GENERAL',
      name: t('Generelt', 'General'),
      items: [
        {
          id: 'assessor',
          type: 'text',
          label: t('Undersøger (id)', 'Assessor (id)'),
          help: t(
            'Samme undersøger ved alle besøg, hvis muligt; ikke den, der injicerede.',
            'The same assessor at every visit where possible; not the injector.',
          ),
          maxLength: 50,
          required: true,
        },
        {
          id: 'rom_mode',
          type: 'code',
          codeList: 'rom_mode',
          label: t('Bevægelighed målt', 'Range of motion measured'),
          required: true,
        },
        {
          id: 'knee_circ_landmark',
          type: 'code',
          codeList: 'knee_circ_landmark',
          label: t('Målested for knæomkreds', 'Knee circumference landmark'),
          required: true,
          basis: 'default',
          note: 'Default landmark: mid-patella.',
        },
        {
          id: 'thigh_method',
          type: 'code',
          codeList: 'circumference_method',
          label: t('Metode for lårmåling', 'Thigh measurement method'),
          required: true,
        },
      ],
    },
    kneeExamGroup('right'),
    kneeExamGroup('left'),
  ],
});
