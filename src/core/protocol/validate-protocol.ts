import { ARM_CODES } from './arms.js';
import { CONDITION_OPS, collectConditionRefs, refKey, type Condition, type ItemRef } from './condition.js';
import {
  ANALYSIS_METHODS,
  CRITERION_KINDS,
  FORM_KINDS,
  RANDOMIZATION_METHODS,
  RESPONDENTS,
  VISIT_KINDS,
  type CodeListDef,
  type FormDef,
  type ProtocolDefinition,
  type VisitDef,
} from './definition-types.js';
import { ITEM_TYPES, type ItemDef, type NumericRange, type SdtmHint } from './item-types.js';
import { checkProtocolStructure, formatProtocolPath } from './protocol-schema.js';
import { ROLES } from './roles.js';

/** Severity of a validation issue: errors make the protocol unloadable, warnings do not. */
export type IssueSeverity = 'error' | 'warning';

/** Stable machine codes of validation issues. */
export const PROTOCOL_ISSUE_CODES = [
  'invalid_structure',
  'duplicate_id',
  'unresolved_reference',
  'invalid_range',
  'invalid_property',
  'invalid_value',
  'empty_code_list',
  'duplicate_code',
  'cycle',
  'not_scheduled',
] as const;

/** One validation issue code. */
export type ProtocolIssueCode = (typeof PROTOCOL_ISSUE_CODES)[number];

/** One problem found in a protocol definition; `path` names the element, e.g. `forms[koos].items[S9].range`. */
export interface ProtocolIssue {
  readonly severity: IssueSeverity;
  readonly code: ProtocolIssueCode;
  readonly path: string;
  readonly message: string;
}

/** Outcome of {@link validateProtocol}: `ok` when there is no error (warnings allowed). */
export interface ValidationResult {
  readonly ok: boolean;
  readonly issues: readonly ProtocolIssue[];
  readonly errors: readonly ProtocolIssue[];
  readonly warnings: readonly ProtocolIssue[];
}

const OID_PATTERN = /^[A-Za-z][A-Za-z0-9._-]*$/;
const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const VERSION_PATTERN = /^\d+(\.\d+){0,2}$/;
const SDTM_DOMAIN_PATTERN = /^[A-Z]{2}$/;
const SDTM_TESTCD_PATTERN = /^[A-Z][A-Z0-9_]{0,7}$/;
const LOINC_PATTERN = /^\d{1,7}-\d$/;
const LOINC_SYSTEM = 'http://loinc.org';
const BUILTIN_METHODS = ['expression'] as const;

/** Everything the reference checks need to look up, built once. */
interface Index {
  readonly forms: Map<string, FormDef>;
  readonly items: Map<string, Map<string, ItemDef>>;
  readonly codeLists: Map<string, CodeListDef>;
  readonly visits: Map<string, VisitDef>;
  /** Visit codes including diary instances (`D1`…), mapped to their definition. */
  readonly visitCodes: Map<string, VisitDef>;
  readonly roles: Set<string>;
  readonly methods: Map<string, string>;
  readonly strata: Set<string>;
}

/**
 * Checks a protocol definition and returns every problem as a value (never throws, also for
 * malformed JSON input). Checks: unique ids (code lists, forms, item groups, items within a form,
 * visits, criteria, strata, outcomes, roles, clocks, methods) and OIDs; every reference resolves
 * (visit→form, item→code list, condition/derivation→item of the same form or a declared cross-form
 * reference, criterion→item, stratum→item, outcome→form/item/visit, blinding→role); numeric ranges
 * are consistent (hard min ≤ soft min ≤ soft max ≤ hard max); precision only on decimals; code lists
 * non-empty with unique codes; no cyclic derivations; literals in conditions fit the item.
 *
 * @param definition - the protocol definition (typed, or any value parsed from JSON)
 * @returns the issues, split into errors and warnings
 */
export function validateProtocol(definition: unknown): ValidationResult {
  const issues: ProtocolIssue[] = [];
  const report = (severity: IssueSeverity, code: ProtocolIssueCode, path: string, message: string): void => {
    issues.push({ severity, code, path, message });
  };
  // Phase 1: structure. A malformed definition (typically JSON) is reported and not checked
  // further, because the semantic rules below assume well-formed lists and objects.
  for (const issue of checkProtocolStructure(definition)) {
    report('error', 'invalid_structure', formatProtocolPath(definition, issue.path), issue.message);
  }
  // Phase 2: semantics (ids, references, ranges, per-type rules).
  if (issues.length === 0) new Validator(definition as ProtocolDefinition, report).run();
  const errors = issues.filter((i) => i.severity === 'error');
  const warnings = issues.filter((i) => i.severity === 'warning');
  return { ok: errors.length === 0, issues, errors, warnings };
}

type Report = (severity: IssueSeverity, code: ProtocolIssueCode, path: string, message: string) => void;

class Validator {
  readonly #def: ProtocolDefinition;
  readonly #report: Report;
  #index: Index | undefined;
  #errorCount = 0;

  constructor(def: ProtocolDefinition, report: Report) {
    this.#def = def;
    this.#report = report;
  }

  run(): void {
    if (!isObject(this.#def)) {
      this.#error('invalid_structure', '$', 'the protocol definition must be an object');
      return;
    }
    this.#checkVersion();
    this.#checkStudy();
    this.#checkArms();
    this.#checkRoles();
    this.#index = this.#buildIndex();
    this.#checkCodeLists();
    this.#checkForms();
    this.#checkVisits();
    this.#checkCriteria();
    this.#checkStrata();
    this.#checkRandomization();
    this.#checkOutcomes();
    this.#checkBlinding();
    this.#checkSafetyClocks();
  }

  #error(code: ProtocolIssueCode, path: string, message: string): void {
    this.#errorCount++;
    this.#report('error', code, path, message);
  }

  #warn(code: ProtocolIssueCode, path: string, message: string): void {
    this.#report('warning', code, path, message);
  }

  get #ix(): Index {
    if (this.#index === undefined) throw new Error('validator index used before it was built');
    return this.#index;
  }

  /** Returns the array at `key`, reporting a structural error when it is not one. */
  #list<T>(owner: object, key: string, path: string): readonly T[] {
    const value = (owner as Record<string, unknown>)[key];
    if (Array.isArray(value)) return value as T[];
    this.#error('invalid_structure', path, `'${key}' must be an array`);
    return [];
  }

  #checkText(value: unknown, path: string, what: string): void {
    if (!isObject(value)) {
      this.#error('invalid_structure', path, `${what} must have Danish and English text`);
      return;
    }
    for (const locale of ['da', 'en'] as const) {
      const text = (value as Record<string, unknown>)[locale];
      if (typeof text !== 'string' || text.trim() === '') {
        this.#error('invalid_property', `${path}.${locale}`, `${what} needs a non-empty '${locale}' text`);
      }
    }
  }

  #checkOid(oid: unknown, path: string, seen: Map<string, string>): void {
    if (typeof oid !== 'string' || !OID_PATTERN.test(oid)) {
      this.#error('invalid_property', path, `OID '${String(oid)}' is not a valid ODM OID`);
      return;
    }
    const other = seen.get(oid);
    if (other !== undefined) this.#error('duplicate_id', path, `OID '${oid}' is also used by ${other}`);
    else seen.set(oid, path);
  }

  /** Reports duplicate ids among `elements` and returns the first element per id. */
  #unique<T>(
    elements: readonly T[],
    idOf: (e: T) => unknown,
    pathOf: (id: string) => string,
    what: string,
  ): Map<string, T> {
    const map = new Map<string, T>();
    elements.forEach((element, position) => {
      const id = idOf(element);
      if (typeof id !== 'string' || id === '') {
        this.#error('invalid_structure', `${pathOf(`#${position}`)}`, `${what} at position ${position} has no id`);
        return;
      }
      if (map.has(id)) this.#error('duplicate_id', pathOf(id), `duplicate ${what} id '${id}'`);
      else map.set(id, element);
    });
    return map;
  }

  #checkVersion(): void {
    const { version } = this.#def;
    if (typeof version !== 'string' || !VERSION_PATTERN.test(version)) {
      this.#error('invalid_property', 'version', `version '${String(version)}' must look like '1.0'`);
    }
    const amendments = this.#list<ProtocolDefinition['amendments'][number]>(this.#def, 'amendments', 'amendments');
    this.#unique(
      amendments,
      (a) => a.version,
      (id) => `amendments[${id}]`,
      'amendment',
    );
    if (amendments.length === 0) {
      this.#error('invalid_property', 'amendments', 'the version history must list at least the current version');
      return;
    }
    const last = amendments[amendments.length - 1];
    if (last !== undefined && last.version !== version) {
      this.#error(
        'invalid_property',
        `amendments[${last.version}]`,
        `the last amendment must be the current version '${version}'`,
      );
    }
    amendments.forEach((a, i) => {
      const expectedPrevious = i === 0 ? null : (amendments[i - 1]?.version ?? null);
      if (a.previousVersion !== expectedPrevious) {
        this.#error(
          'invalid_property',
          `amendments[${a.version}].previousVersion`,
          `previous version must be ${expectedPrevious === null ? 'null' : `'${expectedPrevious}'`}`,
        );
      }
      if (typeof a.effectiveDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(a.effectiveDate)) {
        this.#error('invalid_property', `amendments[${a.version}].effectiveDate`, 'effective date must be YYYY-MM-DD');
      }
    });
  }

  #checkStudy(): void {
    const study = this.#def.study;
    if (!isObject(study)) {
      this.#error('invalid_structure', 'study', 'study must be an object');
      return;
    }
    for (const key of ['id', 'acronym', 'phase', 'sponsor'] as const) {
      if (typeof study[key] !== 'string' || study[key].trim() === '') {
        this.#error('invalid_property', `study.${key}`, `study ${key} must be a non-empty string`);
      }
    }
    this.#checkOid(study.oid, 'study.oid', new Map());
    this.#checkText(study.title, 'study.title', 'the study title');
    if (!Number.isInteger(study.enrolmentTarget) || study.enrolmentTarget <= 0) {
      this.#error('invalid_property', 'study.enrolmentTarget', 'enrolment target must be a positive integer');
    }
    const sites = this.#list<{ id: string }>(study, 'sites', 'study.sites');
    if (sites.length === 0) this.#error('invalid_property', 'study.sites', 'at least one site is required');
    this.#unique(
      sites,
      (s) => s.id,
      (id) => `study.sites[${id}]`,
      'site',
    );
  }

  #checkArms(): void {
    const arms = this.#list<ProtocolDefinition['arms'][number]>(this.#def, 'arms', 'arms');
    const byCode = this.#unique(
      arms,
      (a) => a.code,
      (id) => `arms[${id}]`,
      'arm',
    );
    for (const [code, arm] of byCode) {
      if (!(ARM_CODES as readonly string[]).includes(code)) {
        this.#error('invalid_value', `arms[${code}]`, `arm code '${code}' is not one of ${ARM_CODES.join(', ')}`);
      }
      if (typeof arm.ratio !== 'number' || !(arm.ratio > 0)) {
        this.#error('invalid_property', `arms[${code}].ratio`, 'allocation ratio must be positive');
      }
      this.#checkText(arm.label, `arms[${code}].label`, 'the arm label');
    }
    for (const code of ARM_CODES) {
      if (!byCode.has(code)) this.#error('unresolved_reference', 'arms', `fixed arm '${code}' is missing`);
    }
  }

  #checkRoles(): void {
    const roles = this.#list<ProtocolDefinition['roles'][number]>(this.#def, 'roles', 'roles');
    const byId = this.#unique(
      roles,
      (r) => r.id,
      (id) => `roles[${id}]`,
      'role',
    );
    for (const id of byId.keys()) {
      if (!(ROLES as readonly string[]).includes(id)) {
        this.#error('invalid_value', `roles[${id}]`, `unknown role '${id}'`);
      }
    }
  }

  #buildIndex(): Index {
    const def = this.#def;
    const codeLists = this.#unique(
      this.#list<CodeListDef>(def, 'codeLists', 'codeLists'),
      (c) => c.id,
      (id) => `codeLists[${id}]`,
      'code list',
    );
    const forms = this.#unique(
      this.#list<FormDef>(def, 'forms', 'forms'),
      (f) => f.id,
      (id) => `forms[${id}]`,
      'form',
    );
    const items = new Map<string, Map<string, ItemDef>>();
    for (const [formId, form] of forms) {
      const groups = this.#list<FormDef['itemGroups'][number]>(form, 'itemGroups', `forms[${formId}].itemGroups`);
      this.#unique(
        groups,
        (g) => g.id,
        (id) => `forms[${formId}].itemGroups[${id}]`,
        'item group',
      );
      const all = groups.flatMap((g, i) =>
        this.#list<ItemDef>(g, 'items', `forms[${formId}].itemGroups[${String(g.id ?? i)}].items`),
      );
      items.set(
        formId,
        this.#unique(
          all,
          (i) => i.id,
          (id) => `forms[${formId}].items[${id}]`,
          'item',
        ),
      );
    }
    const visits = this.#unique(
      this.#list<VisitDef>(def, 'visits', 'visits'),
      (v) => v.code,
      (id) => `visits[${id}]`,
      'visit',
    );
    const visitCodes = new Map(visits);
    for (const visit of visits.values()) {
      const repeat = visit.repeat;
      if (repeat === undefined) continue;
      for (let day = repeat.fromDay; day <= repeat.toDay && day - repeat.fromDay < 10_000; day++) {
        const code = `${repeat.codePrefix}${day}`;
        if (visits.has(code)) {
          this.#error(
            'duplicate_id',
            `visits[${visit.code}].repeat`,
            `diary instance code '${code}' collides with a visit`,
          );
        }
        visitCodes.set(code, visit);
      }
    }
    const roles = new Set(this.#list<{ id: string }>(def, 'roles', 'roles').map((r) => r.id));
    const methodDefs = this.#list<ProtocolDefinition['derivationMethods'][number]>(
      def,
      'derivationMethods',
      'derivationMethods',
    );
    const methods = new Map<string, string>();
    for (const [id, m] of this.#unique(
      methodDefs,
      (m) => m.id,
      (id) => `derivationMethods[${id}]`,
      'derivation method',
    )) {
      if ((BUILTIN_METHODS as readonly string[]).includes(id)) {
        this.#error(
          'invalid_value',
          `derivationMethods[${id}]`,
          `'${id}' is a built-in method and cannot be redeclared`,
        );
      }
      this.#checkText(m.description, `derivationMethods[${id}].description`, 'the method description');
      methods.set(id, m.resultType);
    }
    const strata = new Set(this.#list<{ id: string }>(def, 'strata', 'strata').map((s) => s.id));
    return { forms, items, codeLists, visits, visitCodes, roles, methods, strata };
  }

  #checkCodeLists(): void {
    const oids = new Map<string, string>();
    for (const [id, list] of this.#ix.codeLists) {
      const path = `codeLists[${id}]`;
      this.#checkOid(list.oid, `${path}.oid`, oids);
      this.#checkText(list.name, `${path}.name`, 'the code list name');
      if (list.dataType !== 'text' && list.dataType !== 'integer') {
        this.#error('invalid_property', `${path}.dataType`, `data type must be 'text' or 'integer'`);
      }
      const entries = this.#list<CodeListDef['items'][number]>(list, 'items', `${path}.items`);
      if (entries.length === 0) this.#error('empty_code_list', `${path}.items`, `code list '${id}' has no codes`);
      const seen = new Set<string | number>();
      for (const entry of entries) {
        const code = entry.code;
        const entryPath = `${path}.items[${String(code)}]`;
        if (list.dataType === 'integer' ? !Number.isInteger(code) : typeof code !== 'string' || code === '') {
          this.#error('invalid_value', entryPath, `code '${String(code)}' does not fit data type '${list.dataType}'`);
        }
        if (seen.has(code)) {
          this.#error('duplicate_code', entryPath, `duplicate code '${String(code)}' in code list '${id}'`);
        }
        seen.add(code);
        this.#checkText(entry.label, `${entryPath}.label`, 'the code label');
      }
    }
  }

  #checkForms(): void {
    const formOids = new Map<string, string>();
    const groupOids = new Map<string, string>();
    for (const [formId, form] of this.#ix.forms) {
      const path = `forms[${formId}]`;
      if (!ID_PATTERN.test(formId)) this.#error('invalid_property', path, `form id '${formId}' must be an identifier`);
      this.#checkOid(form.oid, `${path}.oid`, formOids);
      this.#checkText(form.title, `${path}.title`, 'the form title');
      if (!(FORM_KINDS as readonly string[]).includes(form.kind)) {
        this.#error('invalid_value', `${path}.kind`, `unknown form kind '${String(form.kind)}'`);
      }
      if (!(RESPONDENTS as readonly string[]).includes(form.respondent)) {
        this.#error('invalid_value', `${path}.respondent`, `unknown respondent '${String(form.respondent)}'`);
      }
      if (typeof form.repeating !== 'boolean') {
        this.#error('invalid_property', `${path}.repeating`, 'repeating must be true or false');
      }
      if (form.blinding !== undefined) this.#checkRoleList(form.blinding.visibleTo, `${path}.blinding.visibleTo`);
      if (form.sdtm !== undefined) this.#checkSdtm(form.sdtm, `${path}.sdtm`);
      if (form.kind === 'scheduled' && ![...this.#ix.visits.values()].some((v) => collects(v, formId))) {
        this.#warn('not_scheduled', path, `scheduled form '${formId}' is not collected at any visit`);
      }
      for (const group of form.itemGroups ?? []) {
        const groupPath = `${path}.itemGroups[${group.id}]`;
        this.#checkOid(group.oid, `${groupPath}.oid`, groupOids);
        this.#checkText(group.name, `${groupPath}.name`, 'the item group name');
        if (group.respondent !== undefined && !(RESPONDENTS as readonly string[]).includes(group.respondent)) {
          this.#error('invalid_value', `${groupPath}.respondent`, `unknown respondent '${String(group.respondent)}'`);
        }
        if (group.showIf !== undefined) this.#checkCondition(group.showIf, form, `${groupPath}.showIf`, undefined);
      }
      const items = this.#ix.items.get(formId) ?? new Map<string, ItemDef>();
      for (const [itemId, item] of items) this.#checkItem(form, itemId, item);
      this.#checkDerivationCycles(form, items);
    }
  }

  #checkItem(form: FormDef, itemId: string, item: ItemDef): void {
    const path = `forms[${form.id}].items[${itemId}]`;
    if (!ID_PATTERN.test(itemId)) this.#error('invalid_property', path, `item id '${itemId}' must be an identifier`);
    this.#checkText(item.label, `${path}.label`, 'the item label');
    if (!(ITEM_TYPES as readonly string[]).includes(item.type)) {
      this.#error('invalid_value', `${path}.type`, `unknown item type '${String(item.type)}'`);
      return;
    }
    const loose = item as unknown as Record<string, unknown>;
    const numeric = item.type === 'integer' || item.type === 'decimal';
    if (numeric) {
      if (loose.range === undefined) {
        this.#error('invalid_range', `${path}.range`, `${item.type} item '${itemId}' needs a range`);
      } else this.#checkRange(item.range, item.type, `${path}.range`);
    } else {
      for (const key of ['range', 'unit'] as const) {
        if (loose[key] !== undefined) {
          this.#error('invalid_property', `${path}.${key}`, `${key} is only allowed on integer and decimal items`);
        }
      }
    }
    if (loose.precision !== undefined) {
      if (item.type !== 'decimal') {
        this.#error('invalid_property', `${path}.precision`, 'precision is only allowed on decimal items');
      } else if (
        !Number.isInteger(loose.precision) ||
        (loose.precision as number) < 0 ||
        (loose.precision as number) > 12
      ) {
        this.#error('invalid_property', `${path}.precision`, 'precision must be an integer number of decimals 0–12');
      }
    }
    if (numeric && item.unit !== undefined && (typeof item.unit.ucum !== 'string' || item.unit.ucum === '')) {
      this.#error('invalid_property', `${path}.unit`, 'unit needs a UCUM code');
    }
    if (item.type === 'code') {
      if (typeof item.codeList !== 'string' || !this.#ix.codeLists.has(item.codeList)) {
        this.#error('unresolved_reference', `${path}.codeList`, `code list '${String(item.codeList)}' is not defined`);
      }
    } else if (loose.codeList !== undefined || loose.multiple !== undefined) {
      this.#error('invalid_property', `${path}.codeList`, 'a code list is only allowed on code items');
    }
    if (item.type === 'text') {
      if (item.pattern !== undefined) {
        try {
          new RegExp(item.pattern.regex);
        } catch {
          this.#error(
            'invalid_property',
            `${path}.pattern`,
            `pattern '${item.pattern.regex}' is not a valid regular expression`,
          );
        }
      }
      if (item.maxLength !== undefined && (!Number.isInteger(item.maxLength) || item.maxLength <= 0)) {
        this.#error('invalid_property', `${path}.maxLength`, 'maxLength must be a positive integer');
      }
    } else if (loose.pattern !== undefined || loose.maxLength !== undefined) {
      this.#error('invalid_property', `${path}.pattern`, 'pattern and maxLength are only allowed on text items');
    }
    if (item.type !== 'file' && loose.mediaTypes !== undefined) {
      this.#error('invalid_property', `${path}.mediaTypes`, 'media types are only allowed on file items');
    }
    if (item.showIf !== undefined) this.#checkCondition(item.showIf, form, `${path}.showIf`, itemId);
    if (item.derivation !== undefined) this.#checkDerivation(form, item, path);
    if (item.onlyAtVisits !== undefined) {
      for (const code of item.onlyAtVisits) {
        const visit = this.#ix.visits.get(code);
        if (visit === undefined) {
          this.#error('unresolved_reference', `${path}.onlyAtVisits[${code}]`, `visit '${code}' is not defined`);
        } else if (!collects(visit, form.id)) {
          this.#error(
            'not_scheduled',
            `${path}.onlyAtVisits[${code}]`,
            `form '${form.id}' is not collected at visit '${code}'`,
          );
        }
      }
    }
    if (item.blinding !== undefined) {
      this.#checkRoleList(item.blinding.visibleTo, `${path}.blinding.visibleTo`);
      this.#checkText(item.blinding.reason, `${path}.blinding.reason`, 'the unblinding reason');
    }
    if (item.sdtm !== undefined) this.#checkSdtm(item.sdtm, `${path}.sdtm`);
    for (const coding of item.codes ?? []) {
      if (coding.system === LOINC_SYSTEM && !LOINC_PATTERN.test(coding.code)) {
        this.#error('invalid_value', `${path}.codes[${coding.code}]`, `'${coding.code}' is not a LOINC code`);
      }
    }
  }

  #checkRange(range: NumericRange, type: 'integer' | 'decimal', path: string): void {
    const limits: [keyof NumericRange, number | undefined][] = [
      ['hardMin', range.hardMin],
      ['softMin', range.softMin],
      ['softMax', range.softMax],
      ['hardMax', range.hardMax],
    ];
    for (const [name, value] of limits) {
      if (value === undefined) {
        if (name === 'hardMin' || name === 'hardMax') this.#error('invalid_range', path, `${name} is required`);
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        this.#error('invalid_range', path, `${name} must be a finite number`);
      } else if (type === 'integer' && !Number.isInteger(value)) {
        this.#error('invalid_range', path, `${name} of an integer item must be an integer`);
      }
    }
    const defined = limits.filter((entry): entry is [keyof NumericRange, number] => typeof entry[1] === 'number');
    for (let i = 1; i < defined.length; i++) {
      const [prevName, prev] = defined[i - 1] as [string, number];
      const [name, value] = defined[i] as [string, number];
      if (prev > value) {
        this.#error(
          'invalid_range',
          path,
          `${prevName} (${prev}) must not exceed ${name} (${value}); expected hardMin ≤ softMin ≤ softMax ≤ hardMax`,
        );
      }
    }
  }

  #checkSdtm(hint: SdtmHint, path: string): void {
    if (!SDTM_DOMAIN_PATTERN.test(hint.domain)) {
      this.#error('invalid_value', `${path}.domain`, `SDTM domain '${hint.domain}' must be two upper-case letters`);
    }
    if (hint.testCode !== undefined && !SDTM_TESTCD_PATTERN.test(hint.testCode)) {
      this.#error(
        'invalid_value',
        `${path}.testCode`,
        `SDTM test code '${hint.testCode}' must be ≤ 8 characters, upper case, not starting with a digit`,
      );
    }
    if (hint.test !== undefined && hint.test.length > 40) {
      this.#error('invalid_value', `${path}.test`, 'SDTM test name must be at most 40 characters');
    }
  }

  #checkRoleList(roles: unknown, path: string): void {
    if (!isArray(roles)) {
      this.#error('invalid_structure', path, 'must be a list of roles');
      return;
    }
    for (const role of roles) {
      if (typeof role !== 'string' || !this.#ix.roles.has(role)) {
        this.#error('unresolved_reference', `${path}[${String(role)}]`, `role '${String(role)}' is not defined`);
      }
    }
  }

  /**
   * Resolves an item reference from inside `form`: a bare item of the same form, or a declared
   * cross-form / cross-visit reference. Returns the referenced item, or undefined after reporting.
   */
  #resolveRef(ref: ItemRef, form: FormDef, path: string): ItemDef | undefined {
    if (!isObject(ref) || typeof ref.item !== 'string') {
      this.#error('invalid_structure', path, 'item reference must name an item');
      return undefined;
    }
    const targetFormId = ref.form ?? form.id;
    const targetItems = this.#ix.items.get(targetFormId);
    if (targetItems === undefined) {
      this.#error('unresolved_reference', `${path}[${refKey(ref)}]`, `form '${targetFormId}' is not defined`);
      return undefined;
    }
    const item = targetItems.get(ref.item);
    if (item === undefined) {
      const where =
        ref.form === undefined
          ? `the same form '${form.id}' (use a declared cross-form reference)`
          : `form '${targetFormId}'`;
      this.#error('unresolved_reference', `${path}[${refKey(ref)}]`, `item '${ref.item}' does not exist in ${where}`);
      return undefined;
    }
    if (ref.visit !== undefined) {
      const visit = this.#ix.visitCodes.get(ref.visit);
      if (visit === undefined) {
        this.#error('unresolved_reference', `${path}[${refKey(ref)}]`, `visit '${ref.visit}' is not defined`);
      } else if (!collects(visit, targetFormId)) {
        this.#error(
          'not_scheduled',
          `${path}[${refKey(ref)}]`,
          `form '${targetFormId}' is not collected at visit '${ref.visit}'`,
        );
      }
    }
    return item;
  }

  #checkCondition(condition: Condition, form: FormDef, path: string, selfId: string | undefined): void {
    if (!isObject(condition) || !(CONDITION_OPS as readonly string[]).includes(condition.op)) {
      this.#error(
        'invalid_structure',
        path,
        `unknown condition operator '${String(isObject(condition) ? condition.op : condition)}'`,
      );
      return;
    }
    switch (condition.op) {
      case 'and':
      case 'or':
        if (!isArray(condition.conditions)) {
          this.#error('invalid_structure', path, `'${condition.op}' needs a list of conditions`);
          return;
        }
        condition.conditions.forEach((c, i) => this.#checkCondition(c, form, `${path}.conditions[${i}]`, selfId));
        return;
      case 'not':
        this.#checkCondition(condition.condition, form, `${path}.condition`, selfId);
        return;
      default: {
        if (
          selfId !== undefined &&
          condition.form === undefined &&
          condition.visit === undefined &&
          condition.item === selfId
        ) {
          this.#error('cycle', path, `item '${selfId}' cannot depend on itself`);
          return;
        }
        const item = this.#resolveRef(condition, form, path);
        if (item === undefined) return;
        const refPath = `${path}[${refKey(condition)}]`;
        if (condition.op === 'in' && !isArray(condition.values)) {
          this.#error('invalid_structure', refPath, "'in' needs a list of values");
          return;
        }
        if (condition.op !== 'in' && condition.op !== 'answered' && condition.value === undefined) {
          this.#error('invalid_structure', refPath, `'${condition.op}' needs a value`);
          return;
        }
        const literals =
          condition.op === 'in' ? condition.values : condition.op === 'answered' ? [] : [condition.value];
        for (const literal of literals) this.#checkLiteral(item, literal, refPath);
      }
    }
  }

  /** A literal compared with an item must be a value the item can take. */
  #checkLiteral(item: ItemDef, literal: unknown, path: string): void {
    const bad = (why: string): void =>
      this.#error('invalid_value', path, `${JSON.stringify(literal)} ${why} of item '${item.id}'`);
    switch (item.type) {
      case 'code': {
        const list = this.#ix.codeLists.get(item.codeList);
        if (list !== undefined && !list.items.some((e) => e.code === literal)) {
          bad(`is not a code of code list '${list.id}'`);
        }
        return;
      }
      case 'boolean':
        if (typeof literal !== 'boolean') bad('is not a boolean value');
        return;
      case 'integer':
      case 'decimal':
        if (typeof literal !== 'number') bad('is not a number value');
        return;
      default:
        if (typeof literal !== 'string') bad('is not a text value');
    }
  }

  #checkDerivation(form: FormDef, item: ItemDef, itemPath: string): void {
    const derivation = item.derivation;
    if (derivation === undefined) return;
    const path = `${itemPath}.derivation`;
    if (item.required === true) {
      this.#error('invalid_property', `${itemPath}.required`, 'a derived item is computed and cannot be required');
    }
    const isExpression = derivation.method === 'expression';
    const resultType = isExpression ? 'boolean' : this.#ix.methods.get(derivation.method);
    if (resultType === undefined) {
      this.#error(
        'unresolved_reference',
        `${path}.method`,
        `derivation method '${String(derivation.method)}' is not declared`,
      );
    } else if (resultType !== item.type) {
      this.#error(
        'invalid_property',
        `${path}.method`,
        `method '${derivation.method}' yields ${resultType} but item '${item.id}' is ${item.type}`,
      );
    }
    if (!isArray(derivation.inputs) || derivation.inputs.length === 0) {
      this.#error('invalid_structure', `${path}.inputs`, 'a derivation needs at least one input');
      return;
    }
    for (const input of derivation.inputs) {
      if (input.form === undefined && input.visit === undefined && input.item === item.id) {
        this.#error('cycle', `${path}.inputs[${input.item}]`, `item '${item.id}' cannot derive from itself`);
        continue;
      }
      this.#resolveRef(input, form, `${path}.inputs`);
    }
    if (isExpression) {
      if (derivation.expression === undefined) {
        this.#error('invalid_property', `${path}.expression`, "method 'expression' needs an expression");
        return;
      }
      const errorsBefore = this.#errorCount;
      this.#checkCondition(derivation.expression, form, `${path}.expression`, item.id);
      // Only a well-formed expression can be walked for its references.
      if (this.#errorCount > errorsBefore) return;
      const declared = new Set(derivation.inputs.map(refKey));
      for (const ref of collectConditionRefs(derivation.expression)) {
        if (!declared.has(refKey(ref))) {
          this.#error(
            'unresolved_reference',
            `${path}.expression[${refKey(ref)}]`,
            `expression reads '${refKey(ref)}', which is not among the inputs`,
          );
        }
      }
    } else if (derivation.expression !== undefined) {
      this.#error('invalid_property', `${path}.expression`, "an expression is only allowed with method 'expression'");
    }
  }

  /** Derived items must not depend on each other in a circle (same form, same visit). */
  #checkDerivationCycles(form: FormDef, items: Map<string, ItemDef>): void {
    const edges = new Map<string, string[]>();
    for (const [id, item] of items) {
      const deps = (item.derivation?.inputs ?? [])
        .filter((r) => isObject(r) && r.form === undefined && r.visit === undefined)
        .map((r) => r.item);
      edges.set(id, deps);
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const reported = new Set<string>();
    const visit = (id: string, trail: string[]): void => {
      if (state.get(id) === 'done') return;
      if (state.get(id) === 'visiting') {
        const cycle = [...trail.slice(trail.indexOf(id)), id];
        const key = [...cycle].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          this.#error(
            'cycle',
            `forms[${form.id}].items[${id}].derivation`,
            `derivations form a cycle: ${cycle.join(' → ')}`,
          );
        }
        return;
      }
      state.set(id, 'visiting');
      for (const dep of edges.get(id) ?? []) if (edges.has(dep)) visit(dep, [...trail, id]);
      state.set(id, 'done');
    };
    for (const id of edges.keys()) visit(id, []);
  }

  #checkVisits(): void {
    const oids = new Map<string, string>();
    let previousDay = Number.NEGATIVE_INFINITY;
    for (const [code, visit] of this.#ix.visits) {
      const path = `visits[${code}]`;
      this.#checkOid(visit.oid, `${path}.oid`, oids);
      this.#checkText(visit.name, `${path}.name`, 'the visit name');
      if (!(VISIT_KINDS as readonly string[]).includes(visit.kind)) {
        this.#error('invalid_value', `${path}.kind`, `unknown visit kind '${String(visit.kind)}'`);
      }
      const day = visit.targetDay ?? visit.dayRange?.from ?? visit.repeat?.fromDay;
      if (visit.targetDay !== null && !Number.isInteger(visit.targetDay)) {
        this.#error('invalid_property', `${path}.targetDay`, 'target day must be an integer or null');
      }
      if (visit.targetDay === null && visit.dayRange === undefined) {
        this.#error('invalid_property', `${path}.targetDay`, 'a visit without a target day needs a day range');
      }
      if (visit.dayRange !== undefined) {
        const { from, to } = visit.dayRange;
        if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) {
          this.#error('invalid_range', `${path}.dayRange`, 'day range must be integers with from ≤ to');
        } else if (visit.targetDay !== null && (visit.targetDay < from || visit.targetDay > to)) {
          this.#error('invalid_range', `${path}.dayRange`, `target day ${visit.targetDay} lies outside the day range`);
        }
      }
      if (visit.window !== null && visit.window !== undefined) {
        const { before, after } = visit.window;
        if (!Number.isInteger(before) || !Number.isInteger(after) || before < 0 || after < 0) {
          this.#error('invalid_range', `${path}.window`, 'window days before/after must be non-negative integers');
        }
        if (visit.targetDay === null && visit.repeat === undefined) {
          this.#error('invalid_property', `${path}.window`, 'a window needs a target day');
        }
      }
      if (visit.repeat !== undefined) {
        const { fromDay, toDay, codePrefix } = visit.repeat;
        if (!Number.isInteger(fromDay) || !Number.isInteger(toDay) || fromDay > toDay) {
          this.#error('invalid_range', `${path}.repeat`, 'repeat days must be integers with fromDay ≤ toDay');
        }
        if (typeof codePrefix !== 'string' || !/^[A-Z]+$/.test(codePrefix)) {
          this.#error('invalid_property', `${path}.repeat.codePrefix`, 'code prefix must be upper-case letters');
        }
      }
      if (typeof day === 'number') {
        if (day < previousDay) {
          this.#warn('invalid_property', path, `visit '${code}' is listed before an earlier visit`);
        }
        previousDay = day;
      }
      const forms = this.#list<string>(visit, 'forms', `${path}.forms`);
      const seen = new Set<string>();
      for (const formId of forms) {
        if (!this.#ix.forms.has(formId)) {
          this.#error('unresolved_reference', `${path}.forms[${formId}]`, `form '${formId}' is not defined`);
        }
        if (seen.has(formId)) {
          this.#error('duplicate_id', `${path}.forms[${formId}]`, `form '${formId}' is listed twice`);
        }
        seen.add(formId);
      }
    }
  }

  #checkCriteria(): void {
    const criteria = this.#list<ProtocolDefinition['criteria'][number]>(this.#def, 'criteria', 'criteria');
    const byId = this.#unique(
      criteria,
      (c) => c.id,
      (id) => `criteria[${id}]`,
      'criterion',
    );
    for (const [id, criterion] of byId) {
      const path = `criteria[${id}]`;
      if (!(CRITERION_KINDS as readonly string[]).includes(criterion.kind)) {
        this.#error('invalid_value', `${path}.kind`, `unknown criterion kind '${String(criterion.kind)}'`);
      } else if (!new RegExp(`^${criterion.kind === 'inclusion' ? 'IC' : 'EC'}[1-9]\\d*$`).test(id)) {
        this.#error(
          'invalid_property',
          path,
          `${criterion.kind} criterion id '${id}' must look like ${criterion.kind === 'inclusion' ? 'IC1' : 'EC1'}`,
        );
      }
      this.#checkText(criterion.name, `${path}.name`, 'the criterion name');
      this.#checkText(criterion.rule, `${path}.rule`, 'the criterion rule');
      const items = this.#ix.items.get(criterion.form);
      if (items === undefined) {
        this.#error('unresolved_reference', `${path}.form`, `form '${criterion.form}' is not defined`);
        continue;
      }
      const read = this.#list<string>(criterion, 'items', `${path}.items`);
      if (read.length === 0) {
        this.#error('invalid_property', `${path}.items`, 'a criterion must read at least one item');
      }
      for (const itemId of read) {
        const item = items.get(itemId);
        if (item === undefined) {
          this.#error(
            'unresolved_reference',
            `${path}.items[${itemId}]`,
            `item '${itemId}' does not exist in form '${criterion.form}'`,
          );
        } else if (item.derivation !== undefined) {
          this.#error(
            'invalid_property',
            `${path}.items[${itemId}]`,
            `item '${itemId}' is derived; list it under derivedItems`,
          );
        }
      }
      for (const itemId of criterion.derivedItems ?? []) {
        const item = items.get(itemId);
        if (item === undefined) {
          this.#error(
            'unresolved_reference',
            `${path}.derivedItems[${itemId}]`,
            `item '${itemId}' does not exist in form '${criterion.form}'`,
          );
        } else if (item.derivation === undefined) {
          this.#error('invalid_property', `${path}.derivedItems[${itemId}]`, `item '${itemId}' is not derived`);
        }
      }
    }
  }

  #checkStrata(): void {
    const strata = this.#list<ProtocolDefinition['strata'][number]>(this.#def, 'strata', 'strata');
    for (const [id, stratum] of this.#unique(
      strata,
      (s) => s.id,
      (sid) => `strata[${sid}]`,
      'stratum',
    )) {
      const path = `strata[${id}]`;
      const items = this.#ix.items.get(stratum.form);
      if (items === undefined) {
        this.#error('unresolved_reference', `${path}.form`, `form '${stratum.form}' is not defined`);
        continue;
      }
      const item = items.get(stratum.item);
      if (item === undefined) {
        this.#error(
          'unresolved_reference',
          `${path}.item`,
          `item '${stratum.item}' does not exist in form '${stratum.form}'`,
        );
      }
      const levels = this.#list<ProtocolDefinition['strata'][number]['levels'][number]>(
        stratum,
        'levels',
        `${path}.levels`,
      );
      if (levels.length < 2) {
        this.#error('invalid_property', `${path}.levels`, 'a stratification factor needs at least two levels');
      }
      this.#unique(
        levels,
        (l) => l.code,
        (code) => `${path}.levels[${code}]`,
        'stratum level',
      );
      const seenValues = new Set<unknown>();
      for (const level of levels) {
        if (level.values.length === 0) {
          this.#error('invalid_property', `${path}.levels[${level.code}]`, 'a level needs at least one value');
        }
        for (const value of level.values) {
          if (seenValues.has(value)) {
            this.#error(
              'duplicate_code',
              `${path}.levels[${level.code}]`,
              `value ${JSON.stringify(value)} falls in two levels`,
            );
          }
          seenValues.add(value);
          if (item !== undefined) this.#checkLiteral(item, value, `${path}.levels[${level.code}]`);
          if (item !== undefined && (item.type === 'integer' || item.type === 'decimal') && typeof value === 'number') {
            if (value < item.range.hardMin || value > item.range.hardMax) {
              this.#error(
                'invalid_value',
                `${path}.levels[${level.code}]`,
                `value ${value} is outside the range of item '${item.id}'`,
              );
            }
          }
        }
      }
    }
  }

  #checkRandomization(): void {
    const r = this.#def.randomization;
    if (!isObject(r)) {
      this.#error('invalid_structure', 'randomization', 'randomization must be an object');
      return;
    }
    if (!(RANDOMIZATION_METHODS as readonly string[]).includes(r.method)) {
      this.#error('invalid_value', 'randomization.method', `unknown randomization method '${String(r.method)}'`);
    }
    const ratioSum = (this.#def.arms ?? []).reduce((sum, a) => sum + (typeof a.ratio === 'number' ? a.ratio : 0), 0);
    for (const size of r.blockSizes ?? []) {
      if (!Number.isInteger(size) || size <= 0 || (ratioSum > 0 && size % ratioSum !== 0)) {
        this.#error(
          'invalid_value',
          `randomization.blockSizes[${size}]`,
          `block size ${size} must be a positive multiple of the ratio sum ${ratioSum}`,
        );
      }
    }
    if (r.method === 'permuted_blocks' && (r.blockSizes ?? []).length === 0) {
      this.#error('invalid_property', 'randomization.blockSizes', 'permuted blocks need at least one block size');
    }
    if (!Number.isInteger(r.maxImbalance) || r.maxImbalance < 1) {
      this.#error('invalid_value', 'randomization.maxImbalance', 'maximum imbalance must be a positive integer');
    }
    if (!Number.isInteger(r.seedBits) || r.seedBits < 128) {
      this.#error('invalid_value', 'randomization.seedBits', 'the seed must have at least 128 bits');
    }
    for (const stratum of r.strata ?? []) {
      if (!this.#ix.strata.has(stratum)) {
        this.#error('unresolved_reference', `randomization.strata[${stratum}]`, `stratum '${stratum}' is not defined`);
      }
    }
  }

  #checkOutcomes(): void {
    const outcomes = this.#list<ProtocolDefinition['outcomes'][number]>(this.#def, 'outcomes', 'outcomes');
    this.#unique(
      outcomes,
      (o) => String(o.registryOrder),
      (n) => `outcomes[#${n}]`,
      'registry order',
    );
    for (const [id, outcome] of this.#unique(
      outcomes,
      (o) => o.id,
      (oid) => `outcomes[${oid}]`,
      'outcome',
    )) {
      const path = `outcomes[${id}]`;
      this.#checkText(outcome.title, `${path}.title`, 'the outcome title');
      const data = this.#list<ProtocolDefinition['outcomes'][number]['data'][number]>(outcome, 'data', `${path}.data`);
      if (data.length === 0) this.#error('invalid_property', `${path}.data`, 'an outcome must read at least one form');
      for (const ref of data) {
        const items = this.#ix.items.get(ref.form);
        if (items === undefined) {
          this.#error('unresolved_reference', `${path}.data[${ref.form}]`, `form '${ref.form}' is not defined`);
          continue;
        }
        for (const itemId of ref.items) {
          if (!items.has(itemId)) {
            this.#error(
              'unresolved_reference',
              `${path}.data[${ref.form}].items[${itemId}]`,
              `item '${itemId}' does not exist in form '${ref.form}'`,
            );
          }
        }
      }
      const visits = this.#list<string>(outcome, 'visits', `${path}.visits`);
      for (const code of visits) {
        const visit = this.#ix.visits.get(code);
        if (visit === undefined) {
          this.#error('unresolved_reference', `${path}.visits[${code}]`, `visit '${code}' is not defined`);
        } else if (!data.some((ref) => collects(visit, ref.form))) {
          this.#error(
            'not_scheduled',
            `${path}.visits[${code}]`,
            `none of the outcome's forms (${data.map((d) => d.form).join(', ')}) is collected at visit '${code}'`,
          );
        }
      }
      if (outcome.baselineVisit !== undefined && !visits.includes(outcome.baselineVisit)) {
        this.#error(
          'unresolved_reference',
          `${path}.baselineVisit`,
          `baseline visit '${outcome.baselineVisit}' is not one of the outcome's visits`,
        );
      }
      const analysis = outcome.analysis;
      if (!isObject(analysis)) {
        this.#error('invalid_structure', `${path}.analysis`, 'an outcome needs an analysis');
        continue;
      }
      if (!(ANALYSIS_METHODS as readonly string[]).includes(analysis.method)) {
        this.#error('invalid_value', `${path}.analysis.method`, `unknown analysis method '${String(analysis.method)}'`);
      }
      if (analysis.method === 'mmrm_change_from_baseline' && outcome.baselineVisit === undefined) {
        this.#error(
          'invalid_property',
          `${path}.baselineVisit`,
          'a change-from-baseline analysis needs a baseline visit',
        );
      }
      const { active, control } = analysis.contrast ?? {};
      for (const [key, code] of [
        ['active', active],
        ['control', control],
      ] as const) {
        if (!(this.#def.arms ?? []).some((a) => a.code === code)) {
          this.#error(
            'unresolved_reference',
            `${path}.analysis.contrast.${key}`,
            `arm '${String(code)}' is not defined`,
          );
        }
      }
      if (active === control) {
        this.#error('invalid_value', `${path}.analysis.contrast`, 'a contrast needs two different arms');
      }
      if (!(analysis.confidenceLevel > 0 && analysis.confidenceLevel < 1)) {
        this.#error('invalid_value', `${path}.analysis.confidenceLevel`, 'confidence level must lie between 0 and 1');
      }
    }
  }

  #checkBlinding(): void {
    const b = this.#def.blinding;
    if (!isObject(b)) {
      this.#error('invalid_structure', 'blinding', 'blinding must be an object');
      return;
    }
    this.#checkRoleList(b.unblindedRoles, 'blinding.unblindedRoles');
    this.#checkRoleList(b.unblindedAfterLockRoles, 'blinding.unblindedAfterLockRoles');
    this.#checkRoleList(b.potentiallyUnblindingVisibleTo, 'blinding.potentiallyUnblindingVisibleTo');
    this.#checkRoleList(b.emergencyUnblinding?.allowedRoles, 'blinding.emergencyUnblinding.allowedRoles');
    const roles = new Map((this.#def.roles ?? []).map((r) => [r.id, r]));
    for (const [list, expected] of [
      [b.unblindedRoles, 'unblinded'],
      [b.unblindedAfterLockRoles, 'unblinded_after_lock'],
    ] as const) {
      for (const role of list ?? []) {
        const def = roles.get(role);
        if (def !== undefined && def.blinding !== expected) {
          this.#error(
            'invalid_value',
            `roles[${role}].blinding`,
            `role '${role}' is listed as ${expected} in the blinding rules but declared '${def.blinding}'`,
          );
        }
      }
    }
    for (const [id, role] of roles) {
      const listed = (b.unblindedRoles ?? []).includes(id) || (b.unblindedAfterLockRoles ?? []).includes(id);
      if (role.blinding !== 'blinded' && !listed) {
        this.#error(
          'invalid_value',
          `roles[${id}].blinding`,
          `role '${id}' is declared '${role.blinding}' but not listed in the blinding rules`,
        );
      }
    }
    const assessment = b.assessment;
    if (isObject(assessment)) {
      if (!this.#ix.forms.has(assessment.form)) {
        this.#error('unresolved_reference', 'blinding.assessment.form', `form '${assessment.form}' is not defined`);
      }
      for (const code of assessment.visits ?? []) {
        const visit = this.#ix.visits.get(code);
        if (visit === undefined) {
          this.#error('unresolved_reference', `blinding.assessment.visits[${code}]`, `visit '${code}' is not defined`);
        } else if (!collects(visit, assessment.form)) {
          this.#error(
            'not_scheduled',
            `blinding.assessment.visits[${code}]`,
            `form '${assessment.form}' is not collected at visit '${code}'`,
          );
        }
      }
    }
  }

  #checkSafetyClocks(): void {
    const clocks = this.#list<ProtocolDefinition['safetyClocks'][number]>(this.#def, 'safetyClocks', 'safetyClocks');
    for (const [id, clock] of this.#unique(
      clocks,
      (c) => c.id,
      (cid) => `safetyClocks[${cid}]`,
      'safety clock',
    )) {
      const duration = clock.duration as Record<string, unknown> | undefined;
      const amounts = duration !== undefined && isObject(duration) ? Object.values(duration) : [];
      if (amounts.length !== 1 || typeof amounts[0] !== 'number' || !(amounts[0] > 0)) {
        this.#error(
          'invalid_value',
          `safetyClocks[${id}].duration`,
          'duration must be one positive amount of hours, days or months',
        );
      }
      this.#checkText(clock.label, `safetyClocks[${id}].label`, 'the clock label');
    }
  }
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a visit collects a form (tolerates a malformed `forms` list, which is reported elsewhere). */
function collects(visit: VisitDef, formId: string): boolean {
  return isArray(visit.forms) && visit.forms.includes(formId);
}

function isArray(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}
