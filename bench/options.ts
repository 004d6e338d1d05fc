/**
 * The bench's command line. Every bound (durations, rounds, counts) has a default that keeps a
 * full run at about 3.5 minutes on a 2-core machine.
 *
 *   const options = parseOptions(process.argv.slice(2));
 */
import { parseArgs } from 'node:util';
import type { GrpcLoadgen } from './loadgen/grpc.js';
import type { HttpLoadgen } from './loadgen/http1.js';

export const HELP = `usage: node dist/bench/run.js [options]      (npm run bench -- [options])

  --duration S        measured seconds per load run (default 5)
  --warmup S          unmeasured warm-up seconds at the start of each run (default 1)
  --prime S           one unrecorded run of each load before round 1 (default 2; 0 = none)
  --rounds N          A/B rounds; each round runs every load once (default 5)
  --concurrency N     calls in flight / HTTP connections (default 32)
  --images N          desktop images in the listed folder (default 150)
  --rpcs LIST         which loads to run, over gRPC and REST: get,list (default both)
  --loadgen G         gRPC load generator: auto | h2load | node (default auto: h2load if installed)
  --http-loadgen G    REST load generator: auto | wrk | autocannon | node (default auto)
  --copies N          timed Copies per source size (default 5)
  --big-mib N         size of the large source image in MiB (default 1024)
  --skip-grpc  --skip-rest  --skip-copy
  --profile           run clouddesk under --cpu-prof and summarise where its time went
  --keep              keep the temporary data dir, server log and profile
`;

export interface BenchOptions {
  readonly durationS: number;
  readonly warmupS: number;
  readonly primeS: number;
  readonly rounds: number;
  readonly concurrency: number;
  readonly images: number;
  readonly rpcs: readonly ('get' | 'list')[];
  readonly loadgen: GrpcLoadgen | 'auto';
  readonly httpLoadgen: HttpLoadgen | 'auto';
  readonly copies: number;
  readonly bigMiB: number;
  readonly skipGrpc: boolean;
  readonly skipRest: boolean;
  readonly skipCopy: boolean;
  readonly profile: boolean;
  readonly keep: boolean;
  readonly help: boolean;
}

export function parseOptions(args: string[]): BenchOptions {
  const { values: v } = parseArgs({
    args,
    options: {
      duration: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '1' },
      prime: { type: 'string', default: '2' },
      rounds: { type: 'string', default: '5' },
      concurrency: { type: 'string', default: '32' },
      images: { type: 'string', default: '150' },
      rpcs: { type: 'string', default: 'get,list' },
      loadgen: { type: 'string', default: 'auto' },
      'http-loadgen': { type: 'string', default: 'auto' },
      copies: { type: 'string', default: '5' },
      'big-mib': { type: 'string', default: '1024' },
      'skip-grpc': { type: 'boolean', default: false },
      'skip-rest': { type: 'boolean', default: false },
      'skip-copy': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const images = num('images', v.images, 101); // List must have a next page
  return {
    durationS: num('duration', v.duration, 1),
    warmupS: num('warmup', v.warmup, 0),
    primeS: num('prime', v.prime, 0),
    rounds: num('rounds', v.rounds, 1),
    concurrency: num('concurrency', v.concurrency, 1),
    images,
    rpcs: v.rpcs.split(',').map((r) => oneOf('rpcs', r.trim(), ['get', 'list'] as const)),
    loadgen: oneOf('loadgen', v.loadgen, ['auto', 'h2load', 'node'] as const),
    httpLoadgen: oneOf('http-loadgen', v['http-loadgen'], ['auto', 'wrk', 'autocannon', 'node'] as const),
    copies: num('copies', v.copies, 1),
    bigMiB: num('big-mib', v['big-mib'], 1),
    skipGrpc: v['skip-grpc'],
    skipRest: v['skip-rest'],
    skipCopy: v['skip-copy'],
    profile: v.profile,
    keep: v.keep,
    help: v.help,
  };
}

/** A numeric option, checked: `--name` must be a number >= `min` (every bench parses with these). */
export function num(name: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${name}: "${text}" is not a number >= ${min}`);
  return n;
}

/** An option that must be one of `allowed`. */
export function oneOf<T extends string>(name: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) throw new Error(`--${name}: one of ${allowed.join(', ')}`);
  return text as T;
}
