/**
 * Runs node-client.js (the fallback load generator) as its own process and returns its result,
 * so that its CPU is never the bench orchestrator's or the server's.
 *
 *   const result = await runNodeClient({ mode: 'grpc', origin, path, bodyBase64, headers, ... });
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { LoadResult } from './load-result.js';

const run = promisify(execFile);

export interface NodeClientSpec {
  mode: 'grpc' | 'http1';
  origin?: string;
  path?: string;
  bodyBase64?: string;
  url?: string;
  headers: Record<string, string>;
  concurrency: number;
  durationS: number;
  warmupS: number;
}

export async function runNodeClient(spec: NodeClientSpec): Promise<LoadResult> {
  const script = resolve(import.meta.dirname, 'node-client.js');
  const { stdout } = await run(process.execPath, [script, JSON.stringify(spec)], { maxBuffer: 1024 * 1024 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as LoadResult;
}
