/** Helpers to call every operation of the OpenAPI document, for the authorization and hostile-input tests. */
import { randomUUID } from 'node:crypto';

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  requiredOperation: string | null;
  isPublic: boolean;
  hasBody: boolean;
  pathParams: string[];
}

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; security?: unknown[]; requestBody?: unknown; 'x-required-operation'?: string }
    >
  >;
}

export function listOperations(doc: unknown): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries((doc as OpenApiDoc).paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        operationId: op.operationId,
        requiredOperation: op['x-required-operation'] ?? null,
        isPublic: Array.isArray(op.security) && op.security.length === 0,
        hasBody: op.requestBody !== undefined,
        pathParams: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string),
      });
    }
  }
  return ops;
}

/** The path with every parameter filled (a random id unless a value is given). */
export function fillPath(op: Operation, values: Record<string, string> = {}): string {
  return op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? randomUUID()));
}
