/**
 * Compares two protocol versions (`1.0`, `1.2`, `2.0.1`) numerically, field by field; missing
 * fields count as 0, so `1` = `1.0`. Returns a negative number, 0 or a positive number.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
