/**
 * The contract as the tests see it: every service in the generated code and the REST bindings
 * its `google.api.http` options declare. Tests walk this list, so an annotated RPC added to
 * proto/ is tested (and fails until it works) without anyone adding it here.
 *
 *   for (const b of await httpBindings()) ...   // { path: '/pkg.Svc/Get', verb: 'GET', template, body }
 *   const req = httpRequestFor(binding, { imageId: 'e3v…' });   // → { verb, url, body }
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { getOption, hasOption, type DescMethod, type DescService } from '@bufbuild/protobuf';
import { http } from '../../src/gen/google/api/annotations_pb.js';

const GEN = resolve(import.meta.dirname, '../../src/gen');

export interface HttpBinding {
  readonly service: DescService;
  readonly method: DescMethod;
  /** `/package.Service/Method`, as gRPC names it. */
  readonly path: string;
  readonly verb: string;
  readonly template: string;
  readonly body: string;
}

/** Every service exported by the generated code. */
export async function generatedServices(): Promise<DescService[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('_pb.js')) files.push(join(dir, e.name));
    }
  };
  walk(GEN);
  const services = new Map<string, DescService>();
  for (const f of files.sort()) {
    const mod = (await import(pathToFileURL(f).href)) as Record<string, unknown>;
    for (const v of Object.values(mod)) {
      const s = v as DescService;
      if (s && typeof s === 'object' && s.kind === 'service') services.set(s.typeName, s);
    }
  }
  return [...services.values()];
}

/** The annotated bindings (including additional_bindings) of every generated method. */
export async function httpBindings(): Promise<HttpBinding[]> {
  const out: HttpBinding[] = [];
  for (const service of await generatedServices()) {
    for (const method of service.methods) {
      if (!hasOption(method, http)) continue;
      const top = getOption(method, http);
      for (const rule of [top, ...top.additionalBindings]) {
        const p = rule.pattern;
        if (p.case === undefined) continue;
        const [verb, template] = p.case === 'custom' ? [p.value.kind, p.value.path] : [p.case.toUpperCase(), p.value];
        out.push({ service, method, path: `/${service.typeName}/${method.name}`, verb, template, body: rule.body });
      }
    }
  }
  return out;
}

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * The HTTP request for a proto3 JSON request object, mapped the way google.api.http says: path
 * variables from their fields, then the body (`*`) or the query string (dotted, repeated).
 */
export function httpRequestFor(b: HttpBinding, request: Record<string, unknown>): { verb: string; url: string; body?: unknown } {
  const rest: Record<string, unknown> = structuredClone(request);
  const path = b.template.replace(/\{([^}=]+)(=[^}]*)?\}/g, (_, name: string) => {
    let obj = rest;
    const parts = name.split('.').map(camel);
    for (const p of parts.slice(0, -1)) obj = obj[p] as Record<string, unknown>;
    const v = obj[parts.at(-1)!];
    delete obj[parts.at(-1)!];
    return encodeURIComponent(String(v ?? ''));
  });
  if (b.body === '*') return { verb: b.verb, url: path, body: rest };
  let body: unknown;
  if (b.body !== '') {
    body = rest[camel(b.body)];
    delete rest[camel(b.body)];
  }
  const query = new URLSearchParams();
  const flatten = (prefix: string, v: unknown) => {
    if (Array.isArray(v)) v.forEach((x) => flatten(prefix, x));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) flatten(prefix ? `${prefix}.${k}` : k, x);
    else query.append(prefix, String(v));
  };
  flatten('', rest);
  const qs = query.toString();
  return { verb: b.verb, url: qs ? `${path}?${qs}` : path, body };
}
