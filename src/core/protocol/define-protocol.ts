import type { ArmDef } from './arms.js';
import type {
  BlindingDef,
  CodeListDef,
  CriterionDef,
  FormDef,
  OutcomeDef,
  ProtocolDefinition,
  StratumDef,
  VisitDef,
} from './definition-types.js';

/** The union of item definitions of a form type. */
export type ItemOf<F extends FormDef> = F['itemGroups'][number]['items'][number];

/** The union of item ids of a form type (literal when the form was built with {@link defineForm}). */
export type ItemIdOf<F extends FormDef> = ItemOf<F>['id'];

/** The item ids of the form with id `Id` within a union of form types. */
export type ItemIdOfForm<F extends FormDef, Id extends string> = ItemIdOf<Extract<F, { readonly id: Id }>>;

/** A criterion whose `items` must be item ids of its `form`. */
export type TypedCriterion<F extends FormDef> = {
  [K in F['id']]: CriterionDef<K, ItemIdOfForm<F, K>>;
}[F['id']];

/** A stratum whose `item` must be an item id of its `form`. */
export type TypedStratum<F extends FormDef> = {
  [K in F['id']]: StratumDef<K, ItemIdOfForm<F, K>>;
}[F['id']];

/** An outcome data reference whose `items` belong to its `form`. */
export type TypedOutcomeData<F extends FormDef> = {
  [K in F['id']]: { readonly form: K; readonly items: readonly ItemIdOfForm<F, K>[] };
}[F['id']];

/** An outcome whose data and visits must exist in the protocol. */
export type TypedOutcome<F extends FormDef, VisitCode extends string> = Omit<
  OutcomeDef<F['id'], string, VisitCode>,
  'data'
> & { readonly data: readonly TypedOutcomeData<F>[] };

/** Blinding rules whose assessment form and visits must exist. */
export type TypedBlinding<FormId extends string, VisitCode extends string> = Omit<BlindingDef, 'assessment'> & {
  readonly assessment: { readonly form: FormId; readonly visits: readonly VisitCode[] };
};

/**
 * The input of {@link defineProtocol}: a {@link ProtocolDefinition} in which every cross-reference
 * is typed against the literal ids of the code lists, forms and visits it declares.
 */
export type TypedProtocolInput<
  CL extends readonly CodeListDef[],
  F extends readonly FormDef[],
  V extends readonly VisitDef[],
> = Omit<
  ProtocolDefinition,
  'codeLists' | 'forms' | 'visits' | 'criteria' | 'strata' | 'outcomes' | 'blinding' | 'arms'
> & {
  readonly arms: readonly ArmDef[];
  readonly codeLists: CL;
  readonly forms: F;
  readonly visits: V;
  readonly criteria: readonly NoInfer<TypedCriterion<F[number]>>[];
  readonly strata: readonly NoInfer<TypedStratum<F[number]>>[];
  readonly outcomes: readonly NoInfer<TypedOutcome<F[number], V[number]['code']>>[];
  readonly blinding: NoInfer<TypedBlinding<F[number]['id'], V[number]['code']>>;
};

/**
 * Declares a protocol with literal ids inferred (const type parameters), so that references are
 * checked by the compiler: a visit listing a form that is not declared, a code item naming an
 * undeclared code list, a criterion reading an item its form does not have, or an arm code outside
 * `ADMSC | SALINE` do not compile. It returns its argument unchanged; run `loadProtocol` (or the
 * protocol's test) for the runtime checks the type system cannot express (ranges, cycles, …).
 *
 * @example
 * ```ts
 * const p = defineProtocol({ ...base, codeLists: [sex], forms: [screening], visits: [
 *   { code: 'SCR', oid: 'SE.SCR', name, kind: 'screening', targetDay: null, window: null,
 *     forms: ['screening'] }, // 'screenin' here would not compile
 * ], ... });
 * ```
 */
export function defineProtocol<
  const CL extends readonly CodeListDef[],
  const F extends readonly FormDef<CL[number]['id']>[],
  const V extends readonly VisitDef<F[number]['id']>[],
>(definition: TypedProtocolInput<CL, F, V>): TypedProtocolInput<CL, F, V> {
  return definition;
}

/**
 * Declares one form with its literal ids preserved (form id, item ids, code-list names), and with
 * item properties checked per item type (a decimal needs a numeric range; precision is only
 * allowed on decimals; a code item needs a code list).
 */
export function defineForm<const F extends FormDef>(form: F): F {
  return form;
}

/** Declares one code list with its literal id and codes preserved. */
export function defineCodeList<const C extends CodeListDef>(codeList: C): C {
  return codeList;
}

/** The form ids of a typed protocol. */
export type FormIdOf<P extends ProtocolDefinition> = P['forms'][number]['id'];

/** The visit-definition codes of a typed protocol. */
export type VisitCodeOf<P extends ProtocolDefinition> = P['visits'][number]['code'];

/** The form with id `Id` of a typed protocol. */
export type FormOf<P extends ProtocolDefinition, Id extends string> = Extract<P['forms'][number], { readonly id: Id }>;
