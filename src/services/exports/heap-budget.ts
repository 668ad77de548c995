/**
 * A heap budget for streamed exports. What an export holds alive is one page of participants, but
 * V8 sizes its old generation by a growing factor of up to four times the live heap on a machine
 * with plenty of memory, and page data that outlives two scavenges is promoted there: the dead pages
 * of a long export pile up to several hundred megabytes before the first full collection, so peak
 * RSS follows V8's heuristics rather than what is alive. Between pages — when the previous page is
 * garbage — the reader asks for a full collection once the heap has grown more than an allowance
 * since the last collection, which keeps peak memory flat without a start-up flag
 * (`--max-old-space-size`) that the CLI and the server would both need.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Growth of the used heap tolerated between collections. With ten casebooks a page, a full collection
 * every page or two costs some 10–30 ms against a page's 0.5–1 s of reading and writing.
 */
export const HEAP_ALLOWANCE_BYTES = 16 * 1024 * 1024;

let collector: (() => void) | null | undefined;

/**
 * V8's `gc()`: `--expose-gc` set at run time exposes it in contexts created afterwards (here a
 * throw-away VM context), not in the main context, so nothing else in the process sees it.
 */
function fullCollection(): (() => void) | null {
  if (collector === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      collector = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      collector = null;
    }
  }
  return collector;
}

let floor: number | undefined;
let collections = 0;

/**
 * Call between pages, when the previous page is garbage: a full collection once the used heap has
 * grown by the allowance since the last one. The first call collects to learn what is alive, so an
 * export that starts on a heap full of another's garbage is not given that garbage as its floor.
 * One budget for the process: concurrent exports in a server share it.
 */
export function heapCheckpoint(allowance: number = HEAP_ALLOWANCE_BYTES): void {
  if (floor !== undefined && getHeapStatistics().used_heap_size < floor + allowance) return;
  const gc = fullCollection();
  if (!gc) {
    floor = Number.POSITIVE_INFINITY;
    return;
  }
  gc();
  collections += 1;
  // What is alive after a full collection (the page being read, a server's other requests) is the
  // new floor: the next collection waits until the heap has grown by the allowance again.
  floor = getHeapStatistics().used_heap_size;
}

/** Full collections the budget has asked for in this process (for the benchmark). */
export function heapCollections(): number {
  return collections;
}
