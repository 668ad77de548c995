/**
 * Fixed-shape queries on the request path, built and compiled by Kysely once per engine and then
 * re-run with new parameter values. Kysely builds an immutable query tree and compiles it to SQL
 * on every call, which on the KOOS save path costs more than SQLite takes to run the primary-key
 * lookups themselves; the SQL text of such a query never changes, only its parameters do.
 *
 * The query is compiled with a unique marker in place of each parameter, and the positions of the
 * markers in the compiled parameter list are remembered; a call substitutes its values there.
 * Constants the builder itself adds (e.g. `last_seq + 1`) stay as compiled. Only for queries
 * whose shape does not depend on the values: no `in (…)` lists, no optional clauses.
 */
import { randomBytes } from 'node:crypto';
import { CompiledQuery, type Compilable, type InferResult, type Kysely } from 'kysely';
import type { DatabaseSchema } from './schema.js';
import type { Executor } from './database.js';

interface Compiled {
  sql: string;
  parameters: readonly unknown[];
  /** For each compiled parameter, the index of the call argument that fills it, or -1 (constant). */
  slots: readonly number[];
}

/** A query compiled once per engine; call it with an executor (database or transaction) and values. */
export type ReusableQuery<P extends readonly unknown[], R> = (executor: Executor, ...params: P) => Promise<R[]>;

/**
 * Wraps `build` (which must use its parameters only as values) as a {@link ReusableQuery}. The
 * result rows have the type the builder's query would return.
 */
export function reusableQuery<P extends readonly unknown[], C extends Compilable<unknown>>(
  build: (db: Kysely<DatabaseSchema>, ...params: P) => C,
): ReusableQuery<P, InferResult<C>[number]> {
  // Keyed by the dialect adapter: the database and its transactions share it, and the SQL text
  // depends on nothing else.
  const byAdapter = new WeakMap<object, Compiled>();
  const compile = (executor: Executor, arity: number): Compiled => {
    const tag = randomBytes(6).toString('hex');
    const markers = Array.from({ length: arity }, (_, i) => `\u0000reusable:${tag}:${i}`);
    const compiled = build(executor, ...(markers as unknown as P)).compile();
    const slots = compiled.parameters.map((p) => (typeof p === 'string' ? markers.indexOf(p) : -1));
    const used = new Set(slots.filter((s) => s >= 0));
    if (used.size !== arity) {
      throw new Error(`reusableQuery: ${arity - used.size} parameter(s) are not used as values in: ${compiled.sql}`);
    }
    return { sql: compiled.sql, parameters: compiled.parameters, slots };
  };
  return async (executor, ...params) => {
    const adapter = executor.getExecutor().adapter;
    let compiled = byAdapter.get(adapter);
    if (!compiled) {
      compiled = compile(executor, params.length);
      byAdapter.set(adapter, compiled);
    }
    const values = compiled.parameters.map((constant, i) => {
      const slot = compiled.slots[i]!;
      return slot < 0 ? constant : params[slot];
    });
    const result = await executor.executeQuery<InferResult<C>[number]>(CompiledQuery.raw(compiled.sql, values));
    return result.rows;
  };
}
