/** Small statistics helpers for the bench: percentiles (nearest rank) and medians. */

/** Nearest-rank percentile of already sorted values; NaN for none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function sortNumbers(values: Iterable<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function median(values: number[]): number {
  const finite = values.filter((v) => Number.isFinite(v));
  return percentileMid(sortNumbers(finite));
}

/** Median with the usual mean of the two middle values for an even count. */
function percentileMid(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
}
