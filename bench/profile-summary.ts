/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): where the busy time went, by component
 * (grpc-js, protobuf-es, pino, better-sqlite3, node core, clouddesk's own layers, GC) and by
 * function, self and inclusive.
 *
 *   node dist/bench/profile-summary.js /tmp/.../CPU.20250101.cpuprofile
 *   const text = summariseProfile(readFileSync(file, 'utf8'));
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  /** µs on the monotonic clock that process.hrtime() also reads. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** [from, to] in µs of process.hrtime.bigint() / 1000n; samples outside every window are ignored. */
export type ProfileWindow = readonly [number, number];

/** Which component a frame belongs to. */
export function componentOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : 'native (V8 builtins, C++ bindings)';
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
  if (pkg) {
    if (pkg === 'pino' || pkg === 'sonic-boom' || pkg === 'thread-stream' || pkg.startsWith('pino-') || pkg === 'fast-redact' || pkg === 'quick-format-unescaped' || pkg === 'atomic-sleep') {
      return 'pino (logging)';
    }
    return pkg;
  }
  if (url.startsWith('node:')) {
    const mod = url.slice('node:'.length).replace(/^internal\//, '');
    const top = mod.split('/')[0]!;
    return `node:${top === 'streams' || top === 'stream' ? 'stream' : top}`;
  }
  const src = /\/dist\/src\/(.+)$/.exec(url)?.[1];
  if (src) {
    const [first, second] = src.split('/');
    if (first === 'gen') return 'clouddesk src/gen (generated descriptors)';
    return `clouddesk src/${first}${second && first !== 'gen' && !first!.endsWith('.js') ? `/${second.replace(/\.js$/, '')}` : ''}`;
  }
  return url;
}

function frameKey(f: CallFrame): string {
  const where = f.url === '' ? '' : ` ${shortUrl(f.url)}:${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'}${where}`;
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\/.*\/node_modules\//, '')
    .replace(/^file:\/\/.*\/dist\//, 'dist/');
}

function table(rows: [string, number][], busyMs: number, limit: number): string {
  return rows
    .slice(0, limit)
    .map(([name, ms]) => `  ${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / busyMs).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
}

export function summariseProfile(json: string, limit = 25, windows?: readonly ProfileWindow[]): string {
  const profile = JSON.parse(json) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  // Self time of each node: the time until the next sample is attributed to this sample.
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (windows && !windows.some(([from, to]) => at >= from && at <= to)) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i]!, (selfUs.get(profile.samples[i]!) ?? 0) + dt);
  }
  const totalMs = [...selfUs.values()].reduce((a, b) => a + b, 0) / 1000;
  const bySelfFn = new Map<string, number>();
  const byComponent = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idleMs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const ms = us / 1000;
    if (node.callFrame.functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const key = frameKey(node.callFrame);
    bySelfFn.set(key, (bySelfFn.get(key) ?? 0) + ms);
    const comp = componentOf(node.callFrame);
    byComponent.set(comp, (byComponent.get(comp) ?? 0) + ms);
    // Inclusive: each distinct function on the stack gets this sample once.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.functionName === '(root)') continue;
      const k = frameKey(f);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + ms);
    }
  }
  const busyMs = totalMs - idleMs;
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  const interesting = sorted(inclusive).filter(
    ([k]) => /dist\/src\/|@grpc\/grpc-js|@bufbuild|pino|better-sqlite3/.test(k) && !/processTicksAndRejections/.test(k),
  );
  return [
    `profile: ${totalMs.toFixed(0)} ms sampled, ${idleMs.toFixed(0)} ms idle, ${busyMs.toFixed(0)} ms busy (percentages are of busy time)`,
    '',
    'self time by component:',
    table(sorted(byComponent), busyMs, limit),
    '',
    'self time by function:',
    table(sorted(bySelfFn), busyMs, limit),
    '',
    'inclusive time (clouddesk, grpc-js, protobuf-es, pino, better-sqlite3 functions):',
    table(interesting, busyMs, limit),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-summary.js FILE.cpuprofile [LIMIT]\n');
    process.exit(2);
  }
  process.stdout.write(`${summariseProfile(readFileSync(file, 'utf8'), Number(process.argv[3] ?? 25))}\n`);
}
