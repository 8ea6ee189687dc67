import type { Parameters } from 'fast-check';

function positiveInteger(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new Error(`${name} must be a positive integer, not "${text}"`);
  return value;
}

/**
 * The fast-check parameters of every fuzz test. A failing run prints its seed
 * and path: `FUZZ_SEED=<seed> FUZZ_PATH=<path>` replays exactly that case.
 * `FUZZ_RUNS` sets the cases per property for a longer search; without it each
 * property runs its own small default, so that CI stays fast.
 */
export function fuzzParameters<T>(defaultRuns: number): Parameters<T> {
  const seed = process.env.FUZZ_SEED;
  if (seed !== undefined && seed !== '' && !Number.isInteger(Number(seed)))
    throw new Error(`FUZZ_SEED must be an integer, not "${seed}"`);
  const path = process.env.FUZZ_PATH;
  return {
    numRuns: positiveInteger('FUZZ_RUNS') ?? defaultRuns,
    ...(seed ? { seed: Number(seed) } : {}),
    ...(path ? { path } : {}),
  };
}

/** Jest's timeout for one fuzz test: generous by default, none worth speaking of for a long `FUZZ_RUNS` search. */
export function fuzzTimeout(): number {
  return positiveInteger('FUZZ_RUNS') === undefined ? 60_000 : 2 ** 31 - 1;
}
