import { z } from 'zod';

/**
 * The structural shape of a protocol definition: which properties exist, which are required, and
 * their JSON types. It is the first phase of `validateProtocol`, so a definition loaded from JSON
 * that is malformed (a list that is not a list, a misspelt property such as `rnage`) is reported
 * precisely instead of crashing the semantic checks. Domain rules (allowed enum values, ranges,
 * references) live in the semantic phase, which gives them domain-specific messages; enum-like
 * fields are therefore plain strings here.
 */

const text = z.strictObject({ da: z.string(), en: z.string() });
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const basis = z.string().optional();
const note = z.string().optional();

const itemRef = z.strictObject({ item: z.string(), form: z.string().optional(), visit: z.string().optional() });

/** One condition node; operator-specific properties are checked by the semantic phase. */
const condition: z.ZodType<unknown> = z.lazy(() =>
  z.strictObject({
    op: z.string(),
    item: z.string().optional(),
    form: z.string().optional(),
    visit: z.string().optional(),
    value: scalar.optional(),
    values: z.array(scalar).optional(),
    conditions: z.array(condition).optional(),
    condition: condition.optional(),
  }),
);

const sdtm = z.strictObject({
  domain: z.string(),
  testCode: z.string().optional(),
  test: z.string().optional(),
  category: z.string().optional(),
  variable: z.string().optional(),
});

const coding = z.strictObject({ system: z.string(), code: z.string(), display: z.string().optional() });
const roleList = z.array(z.string());

/** Every property any item type may have; which ones a given type allows is a semantic check. */
const item = z.strictObject({
  id: z.string(),
  type: z.string(),
  label: text,
  help: text.optional(),
  required: z.boolean().optional(),
  showIf: condition.optional(),
  derivation: z
    .strictObject({
      method: z.string(),
      inputs: z.array(itemRef),
      params: z.record(z.string(), scalar).optional(),
      expression: condition.optional(),
    })
    .optional(),
  nullMeaning: text.optional(),
  onlyAtVisits: z.array(z.string()).optional(),
  licensedTextKey: z.string().optional(),
  sdtm: sdtm.optional(),
  codes: z.array(coding).optional(),
  blinding: z.strictObject({ potentiallyUnblinding: z.literal(true), visibleTo: roleList, reason: text }).optional(),
  basis,
  note,
  unit: z.strictObject({ ucum: z.string(), display: z.string() }).optional(),
  range: z
    .strictObject({
      hardMin: z.number(),
      hardMax: z.number(),
      softMin: z.number().optional(),
      softMax: z.number().optional(),
    })
    .optional(),
  precision: z.number().optional(),
  codeList: z.string().optional(),
  multiple: z.boolean().optional(),
  maxLength: z.number().optional(),
  pattern: z.strictObject({ regex: z.string(), description: text }).optional(),
  multiline: z.boolean().optional(),
  mediaTypes: z.array(z.string()).optional(),
});

const itemGroup = z.strictObject({
  id: z.string(),
  oid: z.string(),
  name: text,
  repeating: z.boolean().optional(),
  showIf: condition.optional(),
  respondent: z.string().optional(),
  items: z.array(item),
});

const form = z.strictObject({
  id: z.string(),
  oid: z.string(),
  title: text,
  kind: z.string(),
  repeating: z.boolean(),
  respondent: z.string(),
  epro: z.boolean().optional(),
  recallPeriod: text.optional(),
  blinding: z.strictObject({ level: z.string(), visibleTo: roleList, reason: text }).optional(),
  sdtm: sdtm.optional(),
  licenceNote: z.string().optional(),
  description: text.optional(),
  itemGroups: z.array(itemGroup),
  basis,
  note,
});

const codeList = z.strictObject({
  id: z.string(),
  oid: z.string(),
  name: text,
  dataType: z.string(),
  ordered: z.boolean().optional(),
  items: z.array(
    z.strictObject({ code: z.union([z.string(), z.number()]), label: text, codes: z.array(coding).optional() }),
  ),
  basis,
  note,
});

const visit = z.strictObject({
  code: z.string(),
  oid: z.string(),
  name: text,
  kind: z.string(),
  targetDay: z.number().nullable(),
  dayRange: z.strictObject({ from: z.number(), to: z.number() }).optional(),
  window: z.strictObject({ before: z.number(), after: z.number(), basis }).nullable(),
  repeat: z
    .strictObject({ fromDay: z.number(), toDay: z.number(), codePrefix: z.string(), flagLateEntries: z.boolean() })
    .optional(),
  forms: z.array(z.string()),
});

const criterion = z.strictObject({
  id: z.string(),
  kind: z.string(),
  name: text,
  rule: text,
  form: z.string(),
  items: z.array(z.string()),
  derivedItems: z.array(z.string()).optional(),
  registryText: z.string(),
});

const stratum = z.strictObject({
  id: z.string(),
  label: text,
  form: z.string(),
  item: z.string(),
  levels: z.array(z.strictObject({ code: z.string(), label: text, values: z.array(scalar) })),
  basis,
});

const contrast = z.strictObject({ active: z.string(), control: z.string() });

const outcome = z.strictObject({
  id: z.string(),
  registryOrder: z.number(),
  registryTitle: z.string(),
  title: text,
  data: z.array(z.strictObject({ form: z.string(), items: z.array(z.string()) })),
  visits: z.array(z.string()),
  baselineVisit: z.string().optional(),
  unit: z.string().optional(),
  analysis: z.strictObject({
    method: z.string(),
    contrast,
    confidenceLevel: z.number(),
    params: z.record(z.string(), z.union([scalar, z.array(z.string())])),
    sensitivity: z.array(z.strictObject({ method: z.string(), description: text })).optional(),
    description: text,
    basis,
  }),
});

const safetyClock = z.strictObject({
  id: z.string(),
  label: text,
  startsAt: z.string(),
  duration: z.record(z.string(), z.number()),
  reporter: z.string(),
  recipient: z.string(),
  appliesTo: text,
  legalBasis: z.string(),
  basis,
});

/** The structural schema of a whole protocol definition. */
export const protocolDefinitionSchema = z.strictObject({
  version: z.string(),
  amendments: z.array(
    z.strictObject({
      version: z.string(),
      previousVersion: z.string().nullable(),
      effectiveDate: z.string(),
      summary: z.string(),
    }),
  ),
  study: z.strictObject({
    id: z.string(),
    acronym: z.string(),
    oid: z.string(),
    registryIds: z.array(z.strictObject({ registry: z.string(), id: z.string() })),
    title: text,
    condition: text,
    phase: z.string(),
    studyType: z.string(),
    primaryPurpose: z.string(),
    design: z.strictObject({ allocation: z.string(), model: z.string(), masking: z.string(), ratio: z.string() }),
    enrolmentTarget: z.number(),
    sites: z.array(z.strictObject({ id: z.string(), name: z.string(), country: z.string(), timeZone: z.string() })),
    followUpYears: z.number(),
    retentionYears: z.number(),
    sponsor: z.string(),
  }),
  arms: z.array(
    z.strictObject({ code: z.string(), label: text, role: z.string(), intervention: text, ratio: z.number() }),
  ),
  roles: z.array(
    z.strictObject({
      id: z.string(),
      label: text,
      blinding: z.string(),
      eproOnly: z.boolean().optional(),
      description: text,
    }),
  ),
  codeLists: z.array(codeList),
  forms: z.array(form),
  visits: z.array(visit),
  criteria: z.array(criterion),
  strata: z.array(stratum),
  randomization: z.strictObject({
    method: z.string(),
    blockSizes: z.array(z.number()),
    maxImbalance: z.number(),
    strata: z.array(z.string()),
    seedBits: z.number(),
    commitment: z.string(),
    requires: z.array(z.string()),
    basis,
  }),
  outcomes: z.array(outcome),
  blinding: z.strictObject({
    masking: z.string(),
    maskedParties: z.array(z.string()),
    unblindedRoles: roleList,
    unblindedAfterLockRoles: roleList,
    potentiallyUnblindingVisibleTo: roleList,
    emergencyUnblinding: z.strictObject({
      allowedRoles: roleList,
      scope: z.string(),
      requiresReason: z.boolean(),
      requiresSignature: z.boolean(),
      notify: z.array(z.string()),
      flagsParticipantForAnalysis: z.boolean(),
    }),
    assessment: z.strictObject({ form: z.string(), visits: z.array(z.string()) }),
    notes: z.array(text),
  }),
  safetyClocks: z.array(safetyClock),
  derivationMethods: z.array(
    z.strictObject({ id: z.string(), description: text, implementedIn: z.string(), resultType: z.string() }),
  ),
});

/** A structural problem: where (as a raw key/index path) and what. */
export interface StructuralIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** Checks the structure of a definition; returns the problems (empty when well-formed). */
export function checkProtocolStructure(definition: unknown): StructuralIssue[] {
  const result = protocolDefinitionSchema.safeParse(definition);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `'${k}'`).join(', ');
      return {
        path: [...issue.path, issue.keys.join(',')],
        message: `unknown propert${issue.keys.length === 1 ? 'y' : 'ies'} ${keys}`,
      };
    }
    if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
      return { path: issue.path, message: `is required (${issue.expected})` };
    }
    return { path: issue.path, message: issue.message.replace(/^Invalid input: /, '') };
  });
}

/**
 * Renders a raw path in the protocol's path notation: array elements are named by their id (or
 * code), and items are addressed through their form, `forms[koos].items[S9].range`, as elsewhere.
 */
export function formatProtocolPath(definition: unknown, path: readonly PropertyKey[]): string {
  let out = '';
  let node: unknown = definition;
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (typeof key === 'number' && Array.isArray(node)) {
      const element: unknown = node[key];
      out += `[${elementName(element) ?? `#${key}`}]`;
      node = element;
      continue;
    }
    const name = String(key);
    // itemGroups[g].items[i] → items[i]: items are addressed per form, as in every other message.
    if (name === 'itemGroups' && path[i + 2] === 'items' && typeof path[i + 3] === 'number') {
      const groups = isRecord(node) ? node.itemGroups : undefined;
      const group: unknown = Array.isArray(groups) ? groups[path[i + 1] as number] : undefined;
      node = isRecord(group) ? group.items : undefined;
      out += '.items';
      i += 2;
      continue;
    }
    out += out === '' ? name : `.${name}`;
    node = isRecord(node) ? node[name] : undefined;
  }
  return out === '' ? '$' : out;
}

function elementName(element: unknown): string | undefined {
  if (!isRecord(element)) return undefined;
  for (const key of ['id', 'code', 'version', 'form'] as const) {
    const value = element[key];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
