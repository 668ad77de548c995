import { defineForm } from '../define-protocol.js';
import type { FormBlinding } from '../definition-types.js';
import { t, UNBLINDED_VIEWERS, UNITS } from './helpers.js';

/**
 * The product chain (spec §6, ATMP traceability): donor → lot → vial → thaw → dose preparation and
 * release. Saline doses go through the same steps so that workload and timing do not reveal the arm.
 * These records reveal the allocation and are visible to unblinded roles only.
 */
const PRODUCT_BLINDING: FormBlinding = {
  level: 'unblinded_only',
  visibleTo: UNBLINDED_VIEWERS,
  reason: t(
    'Produktkæden afslører, om deltageren fik celler eller saltvand.',
    'The product chain reveals whether the participant received cells or saline.',
  ),
};

const isCells = { op: 'eq', item: 'product_type', value: 'admsc' } as const;

/** A cell donor (pseudonymised). */
export const donorForm = defineForm({
  id: 'donor',
  oid: 'F.DONOR',
  title: t('Donor', 'Donor'),
  kind: 'product_chain',
  repeating: false,
  respondent: 'unblinded_staff',
  blinding: PRODUCT_BLINDING,
  itemGroups: [
    {
      id: 'donor',
      oid: 'IG.DONOR',
      name: t('Donor', 'Donor'),
      items: [
        {
          id: 'donor_code',
          type: 'text',
          label: t('Donorkode (pseudonym)', 'Donor code (pseudonym)'),
          maxLength: 20,
          required: true,
        },
        {
          id: 'donor_eligibility',
          type: 'code',
          codeList: 'donor_eligibility',
          label: t('Donorvurdering', 'Donor eligibility'),
          required: true,
        },
        {
          id: 'donor_serology',
          type: 'code',
          codeList: 'lab_result',
          label: t('Infektionsserologi', 'Infection serology'),
          required: true,
        },
        {
          id: 'procurement_date',
          type: 'date',
          label: t('Dato for vævsudtagning', 'Tissue procurement date'),
          required: true,
        },
      ],
    },
  ],
});

/** A manufactured batch (cells) or a saline batch. */
export const productLotForm = defineForm({
  id: 'product_lot',
  oid: 'F.PRODUCT_LOT',
  title: t('Produktbatch', 'Product lot'),
  kind: 'product_chain',
  repeating: false,
  respondent: 'unblinded_staff',
  blinding: PRODUCT_BLINDING,
  sdtm: { domain: 'DA' },
  itemGroups: [
    {
      id: 'lot',
      oid: 'IG.LOT',
      name: t('Batch', 'Lot'),
      items: [
        { id: 'lot_number', type: 'text', label: t('Batchnummer', 'Lot number'), maxLength: 40, required: true },
        {
          id: 'product_type',
          type: 'code',
          codeList: 'product_type',
          label: t('Produkttype', 'Product type'),
          required: true,
        },
        {
          id: 'donor_code',
          type: 'text',
          label: t('Donorkode', 'Donor code'),
          maxLength: 20,
          showIf: isCells,
          required: true,
        },
        {
          id: 'passage',
          type: 'integer',
          label: t('Passage', 'Passage number'),
          range: { hardMin: 0, softMax: 6, hardMax: 20 },
          showIf: isCells,
          required: true,
        },
        { id: 'manufacture_date', type: 'date', label: t('Fremstillingsdato', 'Manufacture date'), required: true },
        { id: 'expiry_date', type: 'date', label: t('Udløbsdato', 'Expiry date'), required: true },
      ],
    },
  ],
});

/** A vial or cryobag of a lot. */
export const productVialForm = defineForm({
  id: 'product_vial',
  oid: 'F.PRODUCT_VIAL',
  title: t('Hætteglas/kryopose', 'Vial or cryobag'),
  kind: 'product_chain',
  repeating: false,
  respondent: 'unblinded_staff',
  blinding: PRODUCT_BLINDING,
  itemGroups: [
    {
      id: 'vial',
      oid: 'IG.VIAL',
      name: t('Hætteglas', 'Vial'),
      items: [
        { id: 'vial_id', type: 'text', label: t('Hætteglas-id', 'Vial id'), maxLength: 40, required: true },
        { id: 'lot_number', type: 'text', label: t('Batchnummer', 'Lot number'), maxLength: 40, required: true },
        {
          id: 'storage_location',
          type: 'text',
          label: t('Opbevaringssted', 'Storage location'),
          maxLength: 100,
          required: true,
        },
      ],
    },
  ],
});

/** Thawing (cells) or opening (saline) of a vial on the injection day. */
export const productThawForm = defineForm({
  id: 'product_thaw',
  oid: 'F.PRODUCT_THAW',
  title: t('Optøning', 'Thaw'),
  kind: 'product_chain',
  repeating: false,
  respondent: 'unblinded_staff',
  blinding: PRODUCT_BLINDING,
  itemGroups: [
    {
      id: 'thaw',
      oid: 'IG.THAW',
      name: t('Optøning', 'Thaw'),
      items: [
        { id: 'vial_id', type: 'text', label: t('Hætteglas-id', 'Vial id'), maxLength: 40, required: true },
        { id: 'thaw_datetime', type: 'datetime', label: t('Tidspunkt for optøning', 'Thaw time'), required: true },
        { id: 'thaw_operator', type: 'text', label: t('Udført af', 'Operator'), maxLength: 50, required: true },
      ],
    },
  ],
});

/**
 * Dose preparation and release: viable cell count, viability, volume, release checks and the
 * release decision. The 14-day sterility culture returns after the injection, so its result is a
 * separate post-release item that raises an alert when growth is found.
 */
export const dosePreparationForm = defineForm({
  id: 'dose_preparation',
  oid: 'F.DOSE_PREPARATION',
  title: t('Dosisklargøring og frigivelse', 'Dose preparation and release'),
  kind: 'product_chain',
  repeating: false,
  respondent: 'unblinded_staff',
  blinding: PRODUCT_BLINDING,
  sdtm: { domain: 'EX' },
  itemGroups: [
    {
      id: 'preparation',
      oid: 'IG.DOSEPREP.PREPARATION',
      name: t('Klargøring', 'Preparation'),
      items: [
        { id: 'kit_code', type: 'text', label: t('Kitkode', 'Kit code'), maxLength: 20, required: true },
        {
          id: 'product_type',
          type: 'code',
          codeList: 'product_type',
          label: t('Produkttype', 'Product type'),
          required: true,
        },
        {
          id: 'lot_number',
          type: 'text',
          label: t('Batchnummer', 'Lot number'),
          maxLength: 40,
          required: true,
          sdtm: { domain: 'EX', variable: 'EXLOT' },
        },
        { id: 'vial_id', type: 'text', label: t('Hætteglas-id', 'Vial id'), maxLength: 40, required: true },
        {
          id: 'preparation_datetime',
          type: 'datetime',
          label: t('Tidspunkt for klargøring', 'Preparation time'),
          required: true,
        },
        {
          id: 'viable_cells_million',
          type: 'decimal',
          label: t('Levende celler i dosis (mio.)', 'Viable cells in dose (millions)'),
          unit: UNITS.millionCells,
          precision: 1,
          range: { hardMin: 0, softMin: 16, softMax: 24, hardMax: 100 },
          showIf: isCells,
          required: true,
          note: 'Target dose 20 × 10⁶ cells; soft limits ±20% are a design default pending the release specification.',
          basis: 'default',
        },
        {
          id: 'viability_pct',
          type: 'decimal',
          label: t('Viabilitet (%)', 'Viability (%)'),
          unit: UNITS.percent,
          precision: 1,
          range: { hardMin: 0, softMin: 70, hardMax: 100 },
          showIf: isCells,
          required: true,
          basis: 'default',
        },
        {
          id: 'final_volume_ml',
          type: 'decimal',
          label: t('Slutvolumen (mL)', 'Final volume (mL)'),
          unit: UNITS.mL,
          precision: 1,
          range: { hardMin: 0, softMin: 9.5, softMax: 10.5, hardMax: 20 },
          required: true,
        },
        {
          id: 'syringe_masked',
          type: 'boolean',
          label: t('Sprøjte afdækket og mærket med kitkode', 'Syringe masked and labelled with the kit code'),
          required: true,
        },
        { id: 'preparer', type: 'text', label: t('Klargjort af', 'Prepared by'), maxLength: 50, required: true },
      ],
    },
    {
      id: 'release',
      oid: 'IG.DOSEPREP.RELEASE',
      name: t('Frigivelse', 'Release'),
      items: [
        {
          id: 'gram_stain',
          type: 'code',
          codeList: 'lab_result',
          label: t('Gramfarvning', 'Gram stain'),
          required: true,
        },
        {
          id: 'endotoxin_eu_ml',
          type: 'decimal',
          label: t('Endotoksin (EU/mL)', 'Endotoxin (EU/mL)'),
          unit: UNITS.endotoxin,
          precision: 2,
          range: { hardMin: 0, softMax: 0.5, hardMax: 100 },
          required: true,
          basis: 'default',
        },
        {
          id: 'mycoplasma',
          type: 'code',
          codeList: 'lab_result',
          label: t('Mykoplasma', 'Mycoplasma'),
          showIf: isCells,
          required: true,
        },
        { id: 'appearance', type: 'code', codeList: 'appearance', label: t('Udseende', 'Appearance'), required: true },
        {
          id: 'release_decision',
          type: 'code',
          codeList: 'release_decision',
          label: t('Frigivelse', 'Release decision'),
          required: true,
        },
        { id: 'released_by', type: 'text', label: t('Frigivet af', 'Released by'), maxLength: 50, required: true },
        {
          id: 'release_datetime',
          type: 'datetime',
          label: t('Tidspunkt for frigivelse', 'Release time'),
          required: true,
        },
        {
          id: 'post_release_sterility',
          type: 'code',
          codeList: 'sterility_result',
          label: t('Sterilitet efter frigivelse (14 dage)', 'Post-release sterility (14 days)'),
          required: true,
        },
      ],
    },
  ],
});
