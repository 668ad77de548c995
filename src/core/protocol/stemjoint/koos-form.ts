import { defineForm } from '../define-protocol.js';
import type { CodeItem, DecimalItem } from '../item-types.js';
import { t, UNITS } from './helpers.js';

type KoosScale = 'koos_a' | 'koos_b' | 'koos_c' | 'koos_d' | 'koos_e';

/**
 * One KOOS item: our own short label (never the validated wording), the answer scale, and the key
 * under which the site-installed translation file provides the licensed text.
 */
function koosItem<const Id extends string>(id: Id, scale: KoosScale, da: string, en: string): CodeItem<Id, KoosScale> {
  return {
    id,
    type: 'code',
    codeList: scale,
    label: t(da, en),
    licensedTextKey: `koos.${id}`,
    sdtm: { domain: 'QS', testCode: `KOOS${id}`, category: 'KOOS' },
  };
}

/** The five KOOS subscales: id, item ids, minimum answered items (2012 rule) and LOINC code. */
export const KOOS_SUBSCALE_DEFS = [
  {
    id: 'symptoms',
    items: ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'],
    minAnswered: 4,
    loinc: '72101-9',
    testCode: 'KOOSSYM',
  },
  {
    id: 'pain',
    items: ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9'],
    minAnswered: 5,
    loinc: '72102-7',
    testCode: 'KOOSPAIN',
  },
  {
    id: 'adl',
    items: [
      'A1',
      'A2',
      'A3',
      'A4',
      'A5',
      'A6',
      'A7',
      'A8',
      'A9',
      'A10',
      'A11',
      'A12',
      'A13',
      'A14',
      'A15',
      'A16',
      'A17',
    ],
    minAnswered: 9,
    loinc: '72100-1',
    testCode: 'KOOSADL',
  },
  { id: 'sport', items: ['SP1', 'SP2', 'SP3', 'SP4', 'SP5'], minAnswered: 3, loinc: '72099-5', testCode: 'KOOSSPRT' },
  { id: 'qol', items: ['Q1', 'Q2', 'Q3', 'Q4'], minAnswered: 2, loinc: '72098-7', testCode: 'KOOSQOL' },
] as const;

/** A KOOS subscale id. */
export type KoosSubscaleId = (typeof KOOS_SUBSCALE_DEFS)[number]['id'];

const SCORE_LABELS: Record<KoosSubscaleId, [string, string]> = {
  symptoms: ['KOOS symptomer (0–100)', 'KOOS Symptoms (0–100)'],
  pain: ['KOOS smerte (0–100)', 'KOOS Pain (0–100)'],
  adl: ['KOOS daglig funktion (0–100)', 'KOOS ADL (0–100)'],
  sport: ['KOOS sport og fritid (0–100)', 'KOOS Sport/Rec (0–100)'],
  qol: ['KOOS livskvalitet (0–100)', 'KOOS QOL (0–100)'],
};

/**
 * A derived subscale score: `koos.<subscale>` computed by `src/core/scoring` from the subscale's
 * items, 100 − mean × 25, scored only with at least `minAnswered` items, stored unrounded.
 */
function koosScore<const S extends (typeof KOOS_SUBSCALE_DEFS)[number]>(subscale: S): DecimalItem<`koos_${S['id']}`> {
  const [da, en] = SCORE_LABELS[subscale.id];
  return {
    id: `koos_${subscale.id}`,
    type: 'decimal',
    label: t(da, en),
    unit: UNITS.score,
    precision: 1,
    range: { hardMin: 0, hardMax: 100 },
    derivation: {
      method: `koos.${subscale.id}`,
      inputs: subscale.items.map((item) => ({ item })),
      params: { minAnswered: subscale.minAnswered, scoringRule: '2012' },
    },
    codes: [{ system: 'http://loinc.org', code: subscale.loinc, display: en }],
    sdtm: { domain: 'QS', testCode: subscale.testCode, category: 'KOOS' },
    note: 'Stored unrounded; precision applies to display only.',
  };
}

const [symptoms, pain, adl, sport, qol] = KOOS_SUBSCALE_DEFS;

/**
 * The full 42-item KOOS (recall: last week). All items 0–4 with 0 = no problem; official order
 * S1–S5 symptoms, S6–S7 stiffness. Item labels are our own short descriptions.
 */
export const koosForm = defineForm({
  id: 'koos',
  oid: 'F.KOOS',
  title: t('KOOS – knæskader og artrose (spørgeskema)', 'KOOS – Knee injury and Osteoarthritis Outcome Score'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'participant',
  epro: true,
  recallPeriod: t('Den seneste uge', 'The last week'),
  sdtm: { domain: 'QS', category: 'KOOS' },
  licenceNote:
    'The validated Danish and English item and anchor wording belongs to the instrument owners; it is not stored in the protocol and is loaded from a translation file the site installs (keys koos.<item id>).',
  itemGroups: [
    {
      id: 'symptoms',
      oid: 'IG.KOOS.SYMPTOMS',
      name: t('Symptomer og stivhed', 'Symptoms and stiffness'),
      items: [
        koosItem('S1', 'koos_b', 'Hævelse', 'Swelling'),
        koosItem('S2', 'koos_b', 'Knasen, klik eller lyde', 'Grinding, clicking or noise'),
        koosItem('S3', 'koos_b', 'Låsning eller hængen fast', 'Catching or hanging up'),
        koosItem('S4', 'koos_c', 'Kan strække knæet helt ud', 'Can straighten fully'),
        koosItem('S5', 'koos_c', 'Kan bøje knæet helt', 'Can bend fully'),
        koosItem('S6', 'koos_a', 'Morgenstivhed', 'Morning stiffness'),
        koosItem('S7', 'koos_a', 'Stivhed senere på dagen', 'Stiffness later in the day'),
      ],
    },
    {
      id: 'pain',
      oid: 'IG.KOOS.PAIN',
      name: t('Smerter', 'Pain'),
      items: [
        koosItem('P1', 'koos_d', 'Hvor ofte smerter', 'Pain frequency'),
        koosItem('P2', 'koos_a', 'Vride eller dreje på knæet', 'Twisting or pivoting'),
        koosItem('P3', 'koos_a', 'Strække knæet helt ud', 'Straightening fully'),
        koosItem('P4', 'koos_a', 'Bøje knæet helt', 'Bending fully'),
        koosItem('P5', 'koos_a', 'Gå på plant underlag', 'Walking on a flat surface'),
        koosItem('P6', 'koos_a', 'Gå op eller ned ad trapper', 'Stairs up or down'),
        koosItem('P7', 'koos_a', 'Om natten i sengen', 'At night in bed'),
        koosItem('P8', 'koos_a', 'Siddende eller liggende', 'Sitting or lying'),
        koosItem('P9', 'koos_a', 'Stående oprejst', 'Standing upright'),
      ],
    },
    {
      id: 'adl',
      oid: 'IG.KOOS.ADL',
      name: t('Daglig funktion', 'Activities of daily living'),
      items: [
        koosItem('A1', 'koos_a', 'Gå ned ad trapper', 'Descending stairs'),
        koosItem('A2', 'koos_a', 'Gå op ad trapper', 'Ascending stairs'),
        koosItem('A3', 'koos_a', 'Rejse sig fra siddende', 'Rising from sitting'),
        koosItem('A4', 'koos_a', 'Stå', 'Standing'),
        koosItem('A5', 'koos_a', 'Bøje sig ned mod gulvet', 'Bending to the floor'),
        koosItem('A6', 'koos_a', 'Gå på plant underlag', 'Walking on a flat surface'),
        koosItem('A7', 'koos_a', 'Ind i og ud af en bil', 'Getting in or out of a car'),
        koosItem('A8', 'koos_a', 'Handle ind', 'Going shopping'),
        koosItem('A9', 'koos_a', 'Tage strømper på', 'Putting on socks'),
        koosItem('A10', 'koos_a', 'Stå op af sengen', 'Rising from bed'),
        koosItem('A11', 'koos_a', 'Tage strømper af', 'Taking off socks'),
        koosItem('A12', 'koos_a', 'Ligge i sengen', 'Lying in bed'),
        koosItem('A13', 'koos_a', 'Ind i og ud af badet', 'Getting in or out of the bath'),
        koosItem('A14', 'koos_a', 'Sidde', 'Sitting'),
        koosItem('A15', 'koos_a', 'Sætte sig på og rejse sig fra toilettet', 'Getting on or off the toilet'),
        koosItem('A16', 'koos_a', 'Tungt husarbejde', 'Heavy domestic duties'),
        koosItem('A17', 'koos_a', 'Let husarbejde', 'Light domestic duties'),
      ],
    },
    {
      id: 'sport',
      oid: 'IG.KOOS.SPORT',
      name: t('Sport og fritid', 'Sport and recreation'),
      items: [
        koosItem('SP1', 'koos_a', 'Sidde på hug', 'Squatting'),
        koosItem('SP2', 'koos_a', 'Løbe', 'Running'),
        koosItem('SP3', 'koos_a', 'Hoppe', 'Jumping'),
        koosItem('SP4', 'koos_a', 'Vride eller dreje på det syge knæ', 'Twisting or pivoting on the affected knee'),
        koosItem('SP5', 'koos_a', 'Stå på knæ', 'Kneeling'),
      ],
    },
    {
      id: 'qol',
      oid: 'IG.KOOS.QOL',
      name: t('Livskvalitet', 'Quality of life'),
      items: [
        koosItem('Q1', 'koos_d', 'Bevidsthed om knæproblemet', 'Awareness of the knee problem'),
        koosItem('Q2', 'koos_e', 'Ændret livsstil', 'Lifestyle modified'),
        koosItem('Q3', 'koos_e', 'Manglende tillid til knæet', 'Lack of confidence in the knee'),
        koosItem('Q4', 'koos_a', 'Generelle vanskeligheder', 'General difficulty'),
      ],
    },
    {
      id: 'scores',
      oid: 'IG.KOOS.SCORES',
      name: t('Delscorer (beregnet)', 'Subscale scores (derived)'),
      items: [koosScore(symptoms), koosScore(pain), koosScore(adl), koosScore(sport), koosScore(qol)],
    },
  ],
});
