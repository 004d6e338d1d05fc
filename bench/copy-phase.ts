/**
 * Copy time: imports the large source Compute image (not timed), then alternates timed Copies
 * of the small and the large source, and checks that the blob store did not grow (the copies
 * share the source's blob).
 *
 *   const { copies, blobStoreBytes } = await runCopyPhase({ conn, sources, ... });
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { WireConnection } from './grpc-wire.js';
import { timeCopy } from './fixtures.js';
import type { CopyFigures } from './report.js';

export interface CopySource {
  readonly key: string;
  readonly label: string;
  readonly computeImageId: string;
  readonly bytes: number;
  readonly importSeconds: number;
}

export interface CopyPhaseInput {
  readonly conn: WireConnection;
  readonly sources: readonly CopySource[];
  readonly copies: number;
  readonly blobsDir: string;
  readonly log: (line: string) => void;
}

export async function runCopyPhase(input: CopyPhaseInput): Promise<{ copies: CopyFigures[]; blobStoreBytes: { before: number; after: number; copies: number } }> {
  const before = dirBytes(input.blobsDir);
  const figures = input.sources.map((s) => ({
    label: s.label,
    sourceBytes: s.bytes,
    importSeconds: s.importSeconds,
    clientMs: [] as number[],
    serverMs: [] as number[],
    rpcMs: [] as number[],
    storageSize: '',
  }));
  for (let i = 0; i < input.copies; i++) {
    for (const [k, s] of input.sources.entries()) {
      // Poll every 2 ms, so polling adds little to the client-side figure.
      const timing = await timeCopy(input.conn, { computeImageId: s.computeImageId, folderId: 'bench-copy', name: `copy-${s.key}-${i}` }, 2);
      const f = figures[k]!;
      f.clientMs.push(timing.clientMs);
      f.serverMs.push(timing.serverMs);
      f.rpcMs.push(timing.rpcMs);
      f.storageSize = String(timing.image.storageSize);
      input.log(
        `copy ${s.label.padEnd(10)} #${i + 1}: ${timing.clientMs.toFixed(2)} ms (server ${timing.serverMs.toFixed(1)} ms, RPC ${timing.rpcMs.toFixed(2)} ms), storage_size ${timing.image.storageSize}`,
      );
    }
  }
  return { copies: figures, blobStoreBytes: { before, after: dirBytes(input.blobsDir), copies: input.copies * input.sources.length } };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    total += st.isDirectory() ? dirBytes(p) : st.size;
  }
  return total;
}
