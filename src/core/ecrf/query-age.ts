/**
 * Query ageing for the data-management reports: how long an unresolved query has been waiting, in
 * the buckets data managers track (under a week, one to two weeks, two weeks to a month, older).
 */

/** Age buckets of unresolved queries, youngest first. */
export const QUERY_AGE_BUCKETS = ['0-7d', '8-14d', '15-30d', '>30d'] as const;

/** One age bucket. */
export type QueryAgeBucket = (typeof QUERY_AGE_BUCKETS)[number];

const DAY_MS = 86_400_000;

/** Whole days from `raisedAt` to `now` (ISO instants), never negative. */
export function queryAgeDays(raisedAt: string, now: string): number {
  return Math.max(0, Math.floor((Date.parse(now) - Date.parse(raisedAt)) / DAY_MS));
}

/** The age bucket of a query raised at `raisedAt`, seen at `now`. */
export function queryAgeBucket(raisedAt: string, now: string): QueryAgeBucket {
  const days = queryAgeDays(raisedAt, now);
  return days <= 7 ? '0-7d' : days <= 14 ? '8-14d' : days <= 30 ? '15-30d' : '>30d';
}
