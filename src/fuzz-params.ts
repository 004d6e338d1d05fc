/**
 * Parameters every fuzz test passes to fast-check: one fixed seed, so a run is the same every
 * time and any failure replays exactly (fast-check's report names the seed and the `path` of
 * the failing case: pass both here to rerun it alone), and a bounded number of runs per
 * property, so the whole fuzz suite stays within about a minute on a loaded machine.
 *
 *   fc.assert(fc.property(fc.string(), (s) => ...), fuzzParams(200));
 */
export const FUZZ_SEED = 20261207;

export function fuzzParams(numRuns: number): { seed: number; numRuns: number; endOnFailure: true } {
  return { seed: FUZZ_SEED, numRuns, endOnFailure: true };
}
