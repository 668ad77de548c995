import { defineForm } from '../define-protocol.js';
import type { ItemGroupDef } from '../definition-types.js';
import type { ItemBlinding, TextItem } from '../item-types.js';
import type { StemjointCodeListId } from './code-lists.js';
import { t, UNBLINDED_VIEWERS, UNITS } from './helpers.js';

/** HLA loci typed for participants and donors (class I A, B, C; class II DRB1, DQB1). */
export const HLA_LOCI = ['A', 'B', 'C', 'DRB1', 'DQB1'] as const;

/** One typed HLA locus. */
export type HlaLocus = (typeof HLA_LOCI)[number];

/**
 * Allele name pattern of a locus (nomenclature since 2010): optional `HLA-` prefix, locus, `*`,
 * allele group, then up to three further colon-separated fields, where the second field may be an
 * NMDP allele code (letters), and an optional expression suffix (N, L, S, C, A, Q).
 * Examples: `A*02`, `A*02:01`, `B*14:HUJ`, `HLA-A*02:01:01:01`, `DRB1*04:01N`.
 */
export function hlaAllelePattern(locus: string): string {
  return `^(HLA-)?${locus}\\*\\d{2,3}(:(\\d{2,4}|[A-Z]{2,5})(:\\d{2,3}){0,2})?[NLSCAQ]?$`;
}

/** The two allele items of every locus, e.g. `hla_a_1`, `hla_a_2`. */
function alleleItems(): TextItem[] {
  return HLA_LOCI.flatMap((locus) =>
    ([1, 2] as const).map((n): TextItem => ({
      id: `hla_${locus.toLowerCase()}_${n}`,
      type: 'text',
      label: t(`HLA-${locus}, allel ${n}`, `HLA-${locus}, allele ${n}`),
      maxLength: 40,
      pattern: { regex: hlaAllelePattern(locus), description: t(`fx ${locus}*02:01`, `e.g. ${locus}*02:01`) },
      required: true,
      sdtm: { domain: 'GF', testCode: `HLA${locus}`.slice(0, 8) },
    })),
  );
}

/** Sample and method items shared by participant and donor typing. */
function typingGroups(prefix: string): ItemGroupDef<StemjointCodeListId>[] {
  return [
    {
      id: 'typing',
      oid: `IG.${prefix}.TYPING`,
      name: t('Prøve og metode', 'Sample and method'),
      items: [
        { id: 'sample_date', type: 'date', label: t('Prøvedato', 'Sample date'), required: true },
        {
          id: 'typing_lab',
          type: 'text',
          label: t('Vævstypelaboratorium', 'Tissue-typing laboratory'),
          maxLength: 100,
          required: true,
        },
        {
          id: 'resolution',
          type: 'code',
          codeList: 'hla_resolution',
          label: t('Opløsning', 'Resolution'),
          required: true,
        },
        { id: 'method', type: 'code', codeList: 'hla_method', label: t('Metode', 'Method'), required: true },
        {
          id: 'db_version',
          type: 'text',
          label: t('IPD-IMGT/HLA-databaseversion', 'IPD-IMGT/HLA database version'),
          pattern: { regex: '^\\d+\\.\\d+\\.\\d+$', description: t('fx 3.54.0', 'e.g. 3.54.0') },
          required: true,
        },
      ],
    },
    {
      id: 'alleles',
      oid: `IG.${prefix}.ALLELES`,
      name: t('Alleler', 'Alleles'),
      items: alleleItems(),
    },
  ];
}

/**
 * HLA typing of the participant. The genotype cannot change; the spec schedules typing at BL and M3
 * (a repeat typing at M3 confirms sample identity). The measurable change is new antibodies, see
 * the antibody form.
 */
export const hlaTypingForm = defineForm({
  id: 'hla_typing',
  oid: 'F.HLA_TYPING',
  title: t('HLA-typning (deltager)', 'HLA typing (participant)'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'lab',
  sdtm: { domain: 'GF' },
  itemGroups: typingGroups('HLA'),
});

/** HLA typing of a cell donor: product-chain data, visible to unblinded roles only. */
export const donorHlaTypingForm = defineForm({
  id: 'donor_hla_typing',
  oid: 'F.DONOR_HLA_TYPING',
  title: t('HLA-typning (donor)', 'HLA typing (donor)'),
  kind: 'product_chain',
  repeating: false,
  respondent: 'unblinded_staff',
  blinding: {
    level: 'unblinded_only',
    visibleTo: UNBLINDED_VIEWERS,
    reason: t('Donordata hører til produktkæden.', 'Donor data belong to the product chain.'),
  },
  itemGroups: [
    {
      id: 'donor',
      oid: 'IG.DONOR_HLA.DONOR',
      name: t('Donor', 'Donor'),
      items: [{ id: 'donor_code', type: 'text', label: t('Donorkode', 'Donor code'), maxLength: 20, required: true }],
    },
    ...typingGroups('DONOR_HLA'),
  ],
});

const DSA_BLINDING: ItemBlinding = {
  potentiallyUnblinding: true,
  visibleTo: UNBLINDED_VIEWERS,
  reason: t(
    'Kun modtagere af celler kan danne donorspecifikke antistoffer.',
    'Only cell recipients can develop donor-specific antibodies.',
  ),
};

/**
 * Anti-HLA antibody screen by single-antigen beads: one row per bead (class, specificity, MFI,
 * positive, donor-specific) against the laboratory's MFI cut-off. Donor-specific results and the
 * derived de novo DSA at M3 are potentially unblinding. Saline kits are also assigned a donor typing
 * so that the donor-specific analysis runs identically in both arms (design).
 */
export const hlaAntibodyForm = defineForm({
  id: 'hla_antibody',
  oid: 'F.HLA_ANTIBODY',
  title: t('Anti-HLA-antistoffer', 'Anti-HLA antibodies'),
  kind: 'scheduled',
  repeating: false,
  respondent: 'lab',
  sdtm: { domain: 'IS' },
  itemGroups: [
    {
      id: 'sample',
      oid: 'IG.HLA_AB.SAMPLE',
      name: t('Prøve og analyse', 'Sample and assay'),
      items: [
        { id: 'sample_date', type: 'date', label: t('Prøvedato', 'Sample date'), required: true },
        {
          id: 'assay',
          type: 'text',
          label: t('Analysekit (single antigen beads)', 'Assay kit (single-antigen beads)'),
          maxLength: 100,
          required: true,
        },
        { id: 'assay_lot', type: 'text', label: t('Kitlot', 'Kit lot'), maxLength: 40, required: true },
        {
          id: 'lab_cutoff_mfi',
          type: 'decimal',
          label: t('Laboratoriets MFI-grænse for positiv', "Laboratory's MFI cut-off for positive"),
          unit: UNITS.mfi,
          precision: 0,
          range: { hardMin: 0, softMin: 300, softMax: 5000, hardMax: 30000 },
          required: true,
          note: 'Laboratory-specific (500, 1000–2000, or 500 with a bead-to-background ratio are all in use).',
        },
        {
          id: 'class_i_positive',
          type: 'boolean',
          label: t('Klasse I-antistoffer påvist', 'Class I antibodies detected'),
          required: true,
        },
        {
          id: 'class_ii_positive',
          type: 'boolean',
          label: t('Klasse II-antistoffer påvist', 'Class II antibodies detected'),
          required: true,
        },
      ],
    },
    {
      id: 'beads',
      oid: 'IG.HLA_AB.BEADS',
      name: t('Beads', 'Beads'),
      repeating: true,
      items: [
        { id: 'bead_class', type: 'code', codeList: 'hla_class', label: t('HLA-klasse', 'HLA class'), required: true },
        {
          id: 'bead_specificity',
          type: 'text',
          label: t('Bead-specificitet', 'Bead specificity'),
          maxLength: 40,
          pattern: {
            // Allele-level bead (A*02:01) or the serological equivalent some labs report (DQ7, Cw4).
            regex:
              '^(HLA-)?((A|B|C|DRB1|DRB3|DRB4|DRB5|DQA1|DQB1|DPA1|DPB1)\\*\\d{2,3}(:\\d{2,3})?|(A|B|Cw|DR|DQ|DP)\\d{1,3})$',
            description: t('fx A*02:01 eller DQ7', 'e.g. A*02:01 or DQ7'),
          },
          required: true,
          sdtm: { domain: 'IS', variable: 'ISBDAGNT' },
        },
        {
          id: 'bead_mfi',
          type: 'decimal',
          label: t('MFI', 'MFI'),
          unit: UNITS.mfi,
          precision: 0,
          range: { hardMin: 0, hardMax: 50000 },
          required: true,
          sdtm: { domain: 'IS', testCode: 'HLAABMFI' },
        },
        {
          id: 'bead_positive',
          type: 'boolean',
          label: t('Positiv (over grænsen)', 'Positive (above cut-off)'),
          required: true,
        },
        {
          id: 'bead_donor_specific',
          type: 'boolean',
          label: t('Donorspecifik', 'Donor-specific'),
          required: true,
          blinding: DSA_BLINDING,
        },
      ],
    },
    {
      id: 'dsa',
      oid: 'IG.HLA_AB.DSA',
      name: t('Donorspecifikke antistoffer (beregnet)', 'Donor-specific antibodies (derived)'),
      items: [
        {
          id: 'dsa_detected',
          type: 'boolean',
          label: t('Donorspecifikke antistoffer påvist', 'Donor-specific antibodies detected'),
          derivation: {
            method: 'hla.donorSpecificDetected',
            inputs: [{ item: 'bead_positive' }, { item: 'bead_donor_specific' }],
          },
          blinding: DSA_BLINDING,
        },
        {
          id: 'de_novo_dsa',
          type: 'boolean',
          label: t('Nye donorspecifikke antistoffer ved 3 måneder', 'De novo donor-specific antibodies at 3 months'),
          help: t(
            'En donorspecifik specificitet er positiv ved 3 måneder og var negativ ved baseline.',
            'A donor-specific specificity is positive at 3 months and was negative at baseline.',
          ),
          onlyAtVisits: ['M3'],
          derivation: {
            method: 'hla.deNovoDsa',
            // Bead rows at this visit (M3) and at baseline, compared per specificity.
            inputs: [
              { item: 'bead_specificity', visit: 'BL' },
              { item: 'bead_positive', visit: 'BL' },
              { item: 'bead_donor_specific', visit: 'BL' },
              { item: 'bead_specificity' },
              { item: 'bead_positive' },
              { item: 'bead_donor_specific' },
            ],
          },
          blinding: DSA_BLINDING,
          sdtm: { domain: 'IS', testCode: 'DENOVDSA' },
        },
      ],
    },
  ],
});
