/**
 * FHIR R4 export: `study.json`, a collection Bundle with the ResearchStudy and the Questionnaires of
 * the patient-reported forms (KOOS with its 42 items, answer options 0–4 and the LOINC subscale codes
 * on the score items; NRS; pain diary), and per participant `participants/<study id>.json`, a
 * collection Bundle with a pseudonymous Patient (study id, sex, year of birth — no name, CPR,
 * address or telecom), the ResearchSubject, a QuestionnaireResponse per completed KOOS, NRS and
 * diary day, an Observation per clinical examination and MRI value (UCUM units) and an AdverseEvent
 * per adverse event. Arms appear (ResearchStudy.arm, ResearchSubject.assignedArm/actualArm) only in
 * unblinded exports. One participant's Bundle at a time is in memory.
 */
import type { CodeListDef, FormDef, ItemGroupDef, ProtocolDefinition } from '../../core/protocol/definition-types.js';
import { findForm, itemOid, resolveVisit } from '../../core/protocol/protocol-queries.js';
import type { ItemDef } from '../../core/protocol/item-types.js';
import { currentStemjointProtocol } from '../../core/protocol/stemjoint-registry.js';
import type { Executor } from '../../storage/database.js';
import type { MultiFileOptions, MultiFileSummary } from './export-options.js';
import { readParticipantPages, type ClinicalRecord, type ExportParticipant } from './export-reader.js';
import type { ExportViewer } from './export-viewer.js';
import type { FileTarget, WrittenFile } from './output-target.js';
import { exportCode, isPseudonymised } from './value-format.js';

/** A FHIR resource as JSON. */
export type FhirResource = { resourceType: string; id: string } & Record<string, unknown>;

/** Base of the placeholder RESTful URLs in Bundle.entry.fullUrl (relative references resolve against it). */
export const FHIR_BASE = 'https://stemjoint.invalid/fhir';
const SYSTEM = 'urn:stemjoint';
const STUDY_ID_SYSTEM = `${SYSTEM}:study-id`;
const UCUM = 'http://unitsofmeasure.org';

/** Forms exported as Questionnaire / QuestionnaireResponse. */
export const QUESTIONNAIRE_FORMS = ['koos', 'nrs', 'pain_diary'] as const;
/** Forms whose findings are exported as Observations. */
const OBSERVATION_FORMS = [
  { formId: 'clinical_exam', category: 'exam' },
  { formId: 'mri_moaks', category: 'imaging' },
  { formId: 'mri_quant', category: 'imaging' },
] as const;

const fhirId = (s: string): string => s.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 64);
const questionnaireUrl = (formId: string): string => `${SYSTEM}:questionnaire:${formId}`;
const codeSystem = (codeListId: string): string => `${SYSTEM}:codelist:${codeListId}`;
const entry = (r: FhirResource): { fullUrl: string; resource: FhirResource } => ({
  fullUrl: `${FHIR_BASE}/${r.resourceType}/${r.id}`,
  resource: r,
});

function coding(
  cl: CodeListDef | undefined,
  code: string | number,
): { system: string; code: string; display?: string } {
  const label = cl?.items.find((e) => e.code === code)?.label.en;
  return {
    system: codeSystem(cl?.id ?? 'unknown'),
    code: exportCode(cl?.id ?? '', code),
    ...(label ? { display: label } : {}),
  };
}

function itemType(item: ItemDef): string {
  switch (item.type) {
    case 'integer':
      return 'integer';
    case 'decimal':
      return 'decimal';
    case 'text':
      return item.multiline ? 'text' : 'string';
    case 'date':
      return 'date';
    case 'datetime':
      return 'dateTime';
    case 'boolean':
      return 'boolean';
    case 'code':
      return 'choice';
    case 'file':
      return 'attachment';
    default:
      return 'string';
  }
}

/** A Questionnaire for a form, generated from the protocol (our own item labels; licensed wording is not shipped). */
export function questionnaireFor(protocol: ProtocolDefinition, viewer: ExportViewer, form: FormDef): FhirResource {
  const codeLists = new Map(protocol.codeLists.map((c) => [c.id, c]));
  const groupItem = (group: ItemGroupDef): Record<string, unknown> => ({
    linkId: group.id,
    text: group.name.en,
    type: 'group',
    ...(group.repeating ? { repeats: true } : {}),
    item: group.items
      .filter((i) => viewer.canSeeItem(protocol, form.id, i.id))
      .map((i) => ({
        linkId: i.id,
        ...(i.codes && i.codes.length > 0
          ? {
              code: i.codes.map((c) => ({
                system: c.system,
                code: c.code,
                ...(c.display ? { display: c.display } : {}),
              })),
            }
          : {}),
        text: i.label.en,
        type: itemType(i),
        ...(i.required && !i.showIf && !i.derivation ? { required: true } : {}),
        ...(i.derivation ? { readOnly: true } : {}),
        ...(i.type === 'code' && i.multiple ? { repeats: true } : {}),
        ...(i.type === 'text' && i.maxLength ? { maxLength: i.maxLength } : {}),
        ...(i.type === 'code'
          ? {
              answerOption: (codeLists.get(i.codeList)?.items ?? []).map((e) => ({
                valueCoding: coding(codeLists.get(i.codeList), e.code),
              })),
            }
          : {}),
      })),
  });
  return {
    resourceType: 'Questionnaire',
    id: fhirId(form.id),
    url: questionnaireUrl(form.id),
    version: protocol.version,
    name: form.id.toUpperCase().replace(/[^A-Z0-9]/g, '_'),
    title: form.title.en,
    status: 'active',
    subjectType: ['Patient'],
    ...(form.licenceNote ? { copyright: form.licenceNote } : {}),
    ...(form.recallPeriod ? { description: `Recall period: ${form.recallPeriod.en}.` } : {}),
    item: form.itemGroups.filter((g) => g.items.some((i) => viewer.canSeeItem(protocol, form.id, i.id))).map(groupItem),
  };
}

/** The ResearchStudy (arms only in unblinded exports). */
export function researchStudy(protocol: ProtocolDefinition, viewer: ExportViewer): FhirResource {
  const s = protocol.study;
  return {
    resourceType: 'ResearchStudy',
    id: fhirId(s.id.toLowerCase()),
    identifier: s.registryIds.map((r) => ({
      system: r.registry === 'ClinicalTrials.gov' ? 'https://clinicaltrials.gov' : `${SYSTEM}:sponsor-study-id`,
      value: r.id,
    })),
    title: s.title.en,
    status: 'active',
    primaryPurposeType: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/research-study-prim-purp-type', code: 'treatment' }],
    },
    phase: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/research-study-phase', code: 'phase-1-phase-2' }],
    },
    condition: [{ text: s.condition.en }],
    description: `${s.acronym}: randomized ${s.design.ratio}, ${s.design.model}, ${s.design.masking}-blind; ${s.followUpYears} years of follow-up.`,
    location: [{ coding: [{ system: 'urn:iso:std:iso:3166', code: 'DK' }] }],
    ...(viewer.unblinded
      ? { arm: protocol.arms.map((a) => ({ name: a.code, type: { text: a.role }, description: a.intervention.en })) }
      : {}),
  };
}

function answerOf(
  protocol: ProtocolDefinition,
  form: FormDef,
  item: ItemDef,
  value: unknown,
): Record<string, unknown>[] {
  if (value === null || value === undefined || value === '') return [];
  switch (item.type) {
    case 'integer':
      return typeof value === 'number' ? [{ valueInteger: value }] : [];
    case 'decimal':
      return typeof value === 'number' ? [{ valueDecimal: value }] : [];
    case 'boolean':
      return typeof value === 'boolean' ? [{ valueBoolean: value }] : [];
    case 'date':
      return [{ valueDate: String(value) }];
    case 'datetime':
      return [{ valueDateTime: String(value) }];
    case 'code': {
      const cl = protocol.codeLists.find((c) => c.id === item.codeList);
      return (Array.isArray(value) ? value : [value]).map((c) => ({ valueCoding: coding(cl, c as string | number) }));
    }
    default:
      return [{ valueString: isPseudonymised(form.id, item.id) ? String(value).slice(0, 4) : String(value) }];
  }
}

function questionnaireResponse(
  protocol: ProtocolDefinition,
  viewer: ExportViewer,
  p: ExportParticipant,
  form: FormDef,
  r: ClinicalRecord,
  id: string,
): FhirResource | null {
  const groups: Record<string, unknown>[] = [];
  for (const group of form.itemGroups) {
    const items = group.items.filter((i) => viewer.canSeeItem(protocol, form.id, i.id));
    const build = (row: Record<string, unknown> | undefined): Record<string, unknown>[] =>
      items.flatMap((i) => {
        const answer = i.derivation
          ? answerOf(protocol, form, i, r.derived[i.id])
          : answerOf(protocol, form, i, row ? row[i.id] : r.values[i.id]);
        return answer.length > 0 ? [{ linkId: i.id, text: i.label.en, answer }] : [];
      });
    if (group.repeating === true) {
      const rows = Array.isArray(r.values[group.id]) ? (r.values[group.id] as Record<string, unknown>[]) : [];
      for (const row of rows) {
        const item = build(row);
        if (item.length > 0) groups.push({ linkId: group.id, text: group.name.en, item });
      }
      continue;
    }
    const item = build(undefined);
    if (item.length > 0) groups.push({ linkId: group.id, text: group.name.en, item });
  }
  if (groups.length === 0) return null;
  const date =
    typeof r.values.entry_date === 'string'
      ? r.values.entry_date
      : (p.visits.find((v) => v.visitCode === r.visitCode)?.visitDate ?? null);
  return {
    resourceType: 'QuestionnaireResponse',
    id,
    identifier: {
      system: `${SYSTEM}:form-instance`,
      value: `${p.studyId}/${r.visitCode ?? 'LOG'}/${form.id}/${r.repeatNo}`,
    },
    questionnaire: questionnaireUrl(form.id),
    status: 'completed',
    subject: { reference: `Patient/${fhirId(p.studyId)}` },
    authored: date ?? r.updatedAt,
    item: groups,
  };
}

function observations(
  protocol: ProtocolDefinition,
  viewer: ExportViewer,
  p: ExportParticipant,
  next: () => string,
): FhirResource[] {
  const out: FhirResource[] = [];
  for (const spec of OBSERVATION_FORMS) {
    const form = findForm(protocol, spec.formId);
    if (!form || !viewer.canSeeForm(protocol, spec.formId)) continue;
    const codeLists = new Map(protocol.codeLists.map((c) => [c.id, c]));
    for (const r of p.records.filter((x) => x.formId === spec.formId)) {
      const date =
        typeof r.values.mri_date === 'string'
          ? r.values.mri_date
          : (p.visits.find((v) => v.visitCode === r.visitCode)?.visitDate ?? null);
      const side = typeof r.values.knee_side === 'string' ? r.values.knee_side : null;
      for (const group of form.itemGroups) {
        for (const item of group.items) {
          if (item.sdtm?.domain !== 'MK' || !item.sdtm.testCode || !viewer.canSeeItem(protocol, form.id, item.id)) {
            continue;
          }
          const value = item.derivation ? r.derived[item.id] : r.values[item.id];
          if (value === null || value === undefined) continue;
          let valueX: Record<string, unknown>;
          if (typeof value === 'number' && (item.type === 'integer' || item.type === 'decimal')) {
            const unit = item.type === 'integer' || item.type === 'decimal' ? item.unit : undefined;
            valueX = {
              valueQuantity: { value, ...(unit ? { unit: unit.display, system: UCUM, code: unit.ucum } : {}) },
            };
          } else if (typeof value === 'boolean') {
            valueX = { valueBoolean: value };
          } else if (item.type === 'code') {
            valueX = {
              valueCodeableConcept: { coding: [coding(codeLists.get(item.codeList), value as string | number)] },
            };
          } else {
            valueX = { valueString: String(value) };
          }
          const laterality = item.id.startsWith('right_') ? 'right' : item.id.startsWith('left_') ? 'left' : side;
          const visit = r.visitCode ? resolveVisit(protocol, r.visitCode) : undefined;
          out.push({
            resourceType: 'Observation',
            id: next(),
            status: 'final',
            category: [
              {
                coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: spec.category }],
              },
            ],
            code: {
              coding: [{ system: `${SYSTEM}:item`, code: itemOid(form, item.id), display: item.label.en }],
              text: item.label.en,
            },
            subject: { reference: `Patient/${fhirId(p.studyId)}` },
            ...(date ? { effectiveDateTime: date } : {}),
            ...valueX,
            ...(laterality ? { bodySite: { text: `${laterality} knee` } } : {}),
            ...(spec.category === 'imaging' ? { method: { text: 'MRI' } } : {}),
            ...(visit
              ? {
                  note: [
                    {
                      text: `Visit ${r.visitCode} (${visit.visit.name.en})${item.derivation ? '; derived value' : ''}`,
                    },
                  ],
                }
              : {}),
          });
        }
      }
    }
  }
  return out;
}

const AE_OUTCOME: Readonly<Record<string, string>> = {
  recovered: 'resolved',
  recovering: 'recovering',
  not_recovered: 'ongoing',
  recovered_with_sequelae: 'resolvedWithSequelae',
  fatal: 'fatal',
  unknown: 'unknown',
};

function adverseEvents(protocol: ProtocolDefinition, p: ExportParticipant): FhirResource[] {
  return p.records
    .filter((r) => r.formId === 'adverse_event')
    .map((r) => {
      const v = r.values;
      const grade = typeof v.ctcae_grade === 'number' ? v.ctcae_grade : null;
      const serious = r.derived.ae_serious === true;
      const pt = typeof v.meddra_pt_code === 'string' ? v.meddra_pt_code : null;
      const onset = typeof v.ae_onset === 'string' ? v.ae_onset : null;
      return {
        resourceType: 'AdverseEvent',
        id: fhirId(`ae-${p.studyId}-${r.extras?.aeNumber ?? r.repeatNo}`),
        identifier: { system: `${SYSTEM}:ae-number`, value: r.extras?.aeNumber ?? String(r.repeatNo) },
        actuality: 'actual',
        event: {
          ...(pt
            ? {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/MDRAE',
                    code: pt,
                    ...(r.extras?.ptName ? { display: r.extras.ptName } : {}),
                  },
                ],
              }
            : {}),
          text: typeof v.ae_term === 'string' ? v.ae_term : 'adverse event',
        },
        subject: { reference: `Patient/${fhirId(p.studyId)}` },
        ...(onset ? { date: onset } : {}),
        ...(typeof v.site_awareness_datetime === 'string' ? { recordedDate: v.site_awareness_datetime } : {}),
        seriousness: {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/adverse-event-seriousness',
              code: serious ? 'serious' : 'non-serious',
            },
          ],
        },
        ...(grade !== null
          ? {
              severity: {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/adverse-event-severity',
                    code: grade === 1 ? 'mild' : grade === 2 ? 'moderate' : 'severe',
                  },
                ],
                text: `CTCAE grade ${grade}`,
              },
            }
          : {}),
        ...(typeof v.ae_outcome === 'string'
          ? {
              outcome: {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/adverse-event-outcome',
                    code: AE_OUTCOME[v.ae_outcome] ?? 'unknown',
                  },
                ],
              },
            }
          : {}),
        ...(typeof v.causality_cells_investigator === 'string'
          ? {
              suspectEntity: [
                {
                  instance: { display: `${protocol.study.acronym} study product (masked)` },
                  causality: [
                    {
                      assessment: { text: v.causality_cells_investigator === 'related' ? 'related' : 'not related' },
                      productRelatedness: 'investigator assessment',
                    },
                  ],
                },
              ],
            }
          : {}),
        study: [{ reference: `ResearchStudy/${fhirId(protocol.study.id.toLowerCase())}` }],
      };
    });
}

const SUBJECT_STATUS: Readonly<Record<string, string>> = {
  enrolled: 'on-study',
  randomized: 'on-study',
  withdrawn: 'withdrawn',
  completed: 'off-study',
};

/** The resources of one participant. */
export function participantResources(
  protocol: ProtocolDefinition,
  viewer: ExportViewer,
  p: ExportParticipant,
): FhirResource[] {
  const pid = fhirId(p.studyId);
  const resources: FhirResource[] = [
    {
      resourceType: 'Patient',
      id: pid,
      meta: {
        security: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
            code: 'PSEUDED',
            display: 'pseudonymized',
          },
        ],
      },
      identifier: [{ system: STUDY_ID_SYSTEM, value: p.studyId }],
      ...(p.sex === 'female' || p.sex === 'male' ? { gender: p.sex } : {}),
      ...(p.yearOfBirth !== null ? { birthDate: String(p.yearOfBirth) } : {}),
    },
    {
      resourceType: 'ResearchSubject',
      id: fhirId(`rs-${p.studyId}`),
      identifier: [{ system: STUDY_ID_SYSTEM, value: p.studyId }],
      status: SUBJECT_STATUS[p.status] ?? 'on-study',
      period: { start: p.enrolledAt, ...(p.withdrawnAt ? { end: p.withdrawnAt } : {}) },
      study: { reference: `ResearchStudy/${fhirId(protocol.study.id.toLowerCase())}` },
      individual: { reference: `Patient/${pid}` },
      ...(viewer.unblinded && p.randomization?.arm
        ? {
            assignedArm: p.randomization.arm,
            ...(p.administration?.status === 'administered' ? { actualArm: p.randomization.arm } : {}),
          }
        : {}),
    },
  ];
  for (const formId of QUESTIONNAIRE_FORMS) {
    const form = findForm(protocol, formId);
    if (!form || !viewer.canSeeForm(protocol, formId)) continue;
    for (const r of p.records.filter((x) => x.formId === formId)) {
      const qr = questionnaireResponse(
        protocol,
        viewer,
        p,
        form,
        r,
        fhirId(`qr-${p.studyId}-${formId}-${r.visitCode ?? 'log'}-${r.repeatNo}`),
      );
      if (qr) resources.push(qr);
    }
  }
  let n = 0;
  resources.push(...observations(protocol, viewer, p, () => fhirId(`obs-${p.studyId}-${++n}`)));
  if (viewer.canSeeForm(protocol, 'adverse_event')) resources.push(...adverseEvents(protocol, p));
  return resources;
}

/** A collection Bundle of resources. */
export function collectionBundle(id: string, resources: FhirResource[], now: Date): Record<string, unknown> {
  return {
    resourceType: 'Bundle',
    id: fhirId(id),
    type: 'collection',
    timestamp: now.toISOString(),
    entry: resources.map(entry),
  };
}

/**
 * Writes the FHIR export: `study.json` and one Bundle per participant.
 *
 * @param db - read-only use
 * @param viewer - what the export may contain
 * @param target - where the files go
 * @param options - time, progress, kit arms
 */
export async function writeFhirExport(
  db: Executor,
  viewer: ExportViewer,
  target: FileTarget,
  options: MultiFileOptions,
): Promise<MultiFileSummary> {
  const protocol = currentStemjointProtocol();
  const files: WrittenFile[] = [];
  const study: FhirResource[] = [researchStudy(protocol, viewer)];
  for (const formId of QUESTIONNAIRE_FORMS) {
    const form = findForm(protocol, formId);
    if (form && viewer.canSeeForm(protocol, formId)) study.push(questionnaireFor(protocol, viewer, form));
  }
  const s = target.openFile('study.json');
  await s.write(`${JSON.stringify(collectionBundle('study', study, options.now), null, 1)}\n`);
  files.push(await s.end());
  let participants = 0;
  options.progress.begin('FHIR bundles', options.total);
  const forms = new Set<string>([...QUESTIONNAIRE_FORMS, ...OBSERVATION_FORMS.map((o) => o.formId), 'adverse_event']);
  for await (const page of readParticipantPages(db, viewer, protocol, {
    forms,
    ...(options.kitArms ? { kitArms: options.kitArms } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
  })) {
    for (const p of page) {
      const sink = target.openFile(`participants/${fhirId(p.studyId)}.json`);
      await sink.write(
        `${JSON.stringify(collectionBundle(p.studyId, participantResources(protocol, viewer, p), options.now))}\n`,
      );
      files.push(await sink.end());
      participants += 1;
    }
    options.progress.advance(page.length);
  }
  return { participants, files };
}
