/**
 * Turns the recorded runs into the tables the bench prints and writes to
 * bench/results/latest.md (the figures that go into bench/RESULTS.md).
 *
 *   const summary = summarise(record);
 *   console.log(renderText(record, summary));
 */
import type { LoadResult } from './loadgen/load-result.js';
import { median } from './stats.js';

export type Target = 'clouddesk' | 'ceiling';

export interface LoadRun {
  readonly round: number;
  /** e.g. "gRPC Get", "REST List" */
  readonly name: string;
  readonly target: Target;
  readonly result: LoadResult;
  /** clouddesk only: RPC lines in its log during the run, by status code. */
  readonly serverRpcs?: { total: number; byCode: Record<string, number> };
  /** The server process's CPU in the measured window: per completed call, and as % of one core. */
  readonly serverCpu?: { usPerCall: number; corePct: number };
  /** Whole machine (all cores) busy % in the measured window: server + load generator + anything else. */
  readonly machineBusyPct?: number;
}

export interface CopyFigures {
  readonly label: string;
  readonly sourceBytes: number;
  readonly importSeconds: number;
  readonly clientMs: number[];
  readonly serverMs: number[];
  readonly rpcMs: number[];
  readonly storageSize: string;
}

export interface BenchRecord {
  startedAt: string;
  command: string;
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean>;
  loadgen: { grpc: string; http: string };
  responseBytes: Record<string, number>;
  rest: { available: boolean; note: string };
  runs: LoadRun[];
  copies: CopyFigures[];
  blobStoreBytes?: { before: number; after: number; copies: number };
  /** The large import beside `curl -o file` of the same kind of source to the same disk, MiB/s. */
  importSpeed?: {
    mib: number;
    importMiBps: number;
    /** The server's CPU (all threads) and its main thread's, during the import, per GiB imported. */
    serverCpuMsPerGiB: number;
    serverMainThreadCpuMsPerGiB: number;
    /** 1-minute load average at the end of the import: how busy the shared machine was. */
    loadAverage: number;
    curlMiBps: number;
    curlFdatasyncMiBps: number;
  };
  peakRssKiB: Record<string, number | undefined>;
  totalSeconds?: number;
}

export interface SummaryRow {
  readonly name: string;
  readonly target: Target;
  readonly rounds: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly cpuUsPerCall: number;
  readonly corePct: number;
  readonly machineBusyPct: number;
}

/** Median over rounds of each figure, per (name, target). */
export function summarise(runs: LoadRun[]): SummaryRow[] {
  const groups = new Map<string, LoadRun[]>();
  for (const r of runs) {
    const key = `${r.name}\u0000${r.target}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => ({
    name: g[0]!.name,
    target: g[0]!.target,
    rounds: g.length,
    rps: median(g.map((r) => r.result.rps)),
    p50Ms: median(g.map((r) => r.result.p50Ms)),
    p99Ms: median(g.map((r) => r.result.p99Ms)),
    errors: g.reduce((a, r) => a + r.result.errors + nonOk(r), 0),
    cpuUsPerCall: median(g.map((r) => r.serverCpu?.usPerCall ?? NaN)),
    corePct: median(g.map((r) => r.serverCpu?.corePct ?? NaN)),
    machineBusyPct: median(g.map((r) => r.machineBusyPct ?? NaN)),
  }));
}

function nonOk(r: LoadRun): number {
  if (!r.serverRpcs) return 0;
  return Object.entries(r.serverRpcs.byCode).reduce((a, [code, n]) => (code === 'OK' ? a : a + n), 0);
}

const f0 = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
const pct = (n: number) => (Number.isFinite(n) ? `${(100 * n).toFixed(0)}%` : 'n/a');

export function grpcTable(rows: SummaryRow[]): string {
  const lines = [
    '| RPC | clouddesk req/s | p50 ms | p99 ms | ceiling req/s | p50 ms | p99 ms | clouddesk / ceiling (req/s) | server CPU µs/call, clouddesk / ceiling | ceiling / clouddesk (CPU per call) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const name of ['gRPC Get', 'gRPC List', 'REST Get', 'REST List']) {
    const a = rows.find((r) => r.name === name && r.target === 'clouddesk');
    const b = rows.find((r) => r.name === name && r.target === 'ceiling');
    if (!a || !b) continue;
    lines.push(
      `| ${name}${name.endsWith('List') ? ' (page_size 100)' : ''} | ${f0(a.rps)} | ${f2(a.p50Ms)} | ${f2(a.p99Ms)} | ${f0(b.rps)} | ${f2(b.p50Ms)} | ${f2(b.p99Ms)} | ${pct(a.rps / b.rps)} | ${f0(a.cpuUsPerCall)} / ${f0(b.cpuUsPerCall)} | ${pct(b.cpuUsPerCall / a.cpuUsPerCall)} |`,
    );
  }
  return lines.join('\n');
}

export function restTable(rows: SummaryRow[], rest: BenchRecord['rest']): string {
  const grpcGet = rows.find((r) => r.name === 'gRPC Get' && r.target === 'clouddesk');
  const lines = ['| clouddesk | req/s | p50 ms | p99 ms | server CPU µs/call | errors |', '|---|---:|---:|---:|---:|---:|'];
  if (grpcGet) lines.push(`| gRPC Get (h2c, 32 streams on 1 connection) | ${f0(grpcGet.rps)} | ${f2(grpcGet.p50Ms)} | ${f2(grpcGet.p99Ms)} | ${f0(grpcGet.cpuUsPerCall)} | ${grpcGet.errors} |`);
  for (const [name, label] of [
    ['REST Get', 'GET /cloud-desktop/v1/images/{id}'],
    ['REST List', 'GET /cloud-desktop/v1/images?folderId=…&pageSize=100'],
  ] as const) {
    const r = rows.find((x) => x.name === name && x.target === 'clouddesk');
    if (r) lines.push(`| ${label} (HTTP/1.1, 32 keep-alive connections) | ${f0(r.rps)} | ${f2(r.p50Ms)} | ${f2(r.p99Ms)} | ${f0(r.cpuUsPerCall)} | ${r.errors} |`);
    else lines.push(`| ${label} | REST not available | | | | |`);
  }
  if (!rest.available) lines.push('', `REST not available: ${rest.note}`);
  return lines.join('\n');
}

export function copyTable(copies: CopyFigures[]): string {
  const lines = [
    '| source Compute image | import (not timed in Copy) | Copy: call → done seen, median (min–max) ms | server created_at → modified_at, median ms | Copy RPC, median ms | runs |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const c of copies) {
    const min = Math.min(...c.clientMs);
    const max = Math.max(...c.clientMs);
    lines.push(
      `| ${c.label} (storage_size ${c.storageSize}) | ${c.importSeconds.toFixed(1)} s | ${f2(median(c.clientMs))} (${f2(min)}–${f2(max)}) | ${f2(median(c.serverMs))} | ${f2(median(c.rpcMs))} | ${c.clientMs.length} |`,
    );
  }
  return lines.join('\n');
}

export function roundsTable(runs: LoadRun[]): string {
  const lines = [
    '| round | run | target | requests | req/s | p50 ms | p99 ms | errors | server CPU µs/call | server % of a core | machine busy % | server RPC log lines |',
    '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of runs) {
    const rpcs = r.serverRpcs ? `${r.serverRpcs.total} (${Object.entries(r.serverRpcs.byCode).map(([c, n]) => `${c} ${n}`).join(', ') || 'none'})` : '';
    lines.push(
      `| ${r.round} | ${r.name} | ${r.target} | ${r.result.requests} | ${f0(r.result.rps)} | ${f2(r.result.p50Ms)} | ${f2(r.result.p99Ms)} | ${r.result.errors} | ${f0(r.serverCpu?.usPerCall ?? NaN)} | ${f0(r.serverCpu?.corePct ?? NaN)} | ${f0(r.machineBusyPct ?? NaN)} | ${rpcs} |`,
    );
  }
  return lines.join('\n');
}

export function importLine(i: NonNullable<BenchRecord['importSpeed']>): string {
  return `Import of ${i.mib} MiB: ${i.importMiBps.toFixed(0)} MiB/s; \`curl -o file\` of the same source to the same disk ${i.curlMiBps.toFixed(0)} MiB/s (ratio ${(i.importMiBps / i.curlMiBps).toFixed(2)}), curl then fdatasync ${i.curlFdatasyncMiBps.toFixed(0)} MiB/s (ratio ${(i.importMiBps / i.curlFdatasyncMiBps).toFixed(2)}). Server CPU per GiB: ${i.serverCpuMsPerGiB.toFixed(0)} ms, of which the main thread ${i.serverMainThreadCpuMsPerGiB.toFixed(0)} ms; load average ${i.loadAverage.toFixed(2)}.`;
}

export function renderMarkdown(record: BenchRecord): string {
  const rows = summarise(record.runs);
  const rss = Object.entries(record.peakRssKiB)
    .map(([k, v]) => `- ${k}: ${v === undefined ? 'n/a' : `${(v / 1024).toFixed(0)} MiB`}`)
    .join('\n');
  const blobs = record.blobStoreBytes
    ? `Blob store bytes on disk before the ${record.blobStoreBytes.copies} timed Copies: ${record.blobStoreBytes.before.toLocaleString('en-US')}; after: ${record.blobStoreBytes.after.toLocaleString('en-US')}.`
    : '';
  return [
    `Run ${record.startedAt}: \`${record.command}\``,
    '',
    `Machine: ${Object.entries(record.machine).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    `Load generators: gRPC ${record.loadgen.grpc}; HTTP/1.1 ${record.loadgen.http}.`,
    `Settings: ${Object.entries(record.settings).map(([k, v]) => `${k}=${v}`).join(', ')}.`,
    `Response sizes (protobuf bytes): ${Object.entries(record.responseBytes).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    '',
    '### clouddesk beside the ceiling (gRPC: grpc-js; REST: node:http), 32 in flight (median of rounds)',
    '',
    grpcTable(rows),
    '',
    '### REST beside gRPC Get (median of rounds)',
    '',
    restTable(rows, record.rest),
    '',
    '### Copy time',
    '',
    record.copies.length > 0 ? copyTable(record.copies) : 'skipped',
    '',
    blobs,
    '',
    record.importSpeed ? importLine(record.importSpeed) : '',
    '',
    '### Peak RSS (VmHWM)',
    '',
    rss,
    '',
    '### Every run, in the order run',
    '',
    roundsTable(record.runs),
    '',
    record.totalSeconds !== undefined ? `Total bench time: ${record.totalSeconds.toFixed(0)} s.` : '',
  ].join('\n');
}
