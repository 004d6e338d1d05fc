/**
 * The REST route table, derived at start-up from the `google.api.http` option of every method
 * the Router serves. Nothing here names a service, a method or a path: an annotated RPC added to
 * proto/ and registered with the Router is routed without a change to this file.
 *
 *   const table = buildRouteTable(router.methods());
 *   const hit = table.match('POST', '/cloud-desktop/v1/images:copy');
 *   // → { kind: 'route', route, params }  |  { kind: 'wrong-verb', allow: ['GET'] }  |  { kind: 'none' }
 *
 * A custom method (`:verb` suffix) annotated as GET is also served at POST: the design guide
 * says custom methods are POST while the protos annotate `Operation.Cancel` as GET
 * (docs/decisions.md point 1), so clients following either are answered.
 */
import { getOption, hasOption } from '@bufbuild/protobuf';
import { http as httpOption } from '../../gen/google/api/annotations_pb.js';
import type { HttpRule } from '../../gen/google/api/http_pb.js';
import type { RegisteredMethod } from '../rpc.js';
import { compileTemplate, splitPath, type PathTemplate } from './path-template.js';

export interface Route {
  /** Upper-case HTTP method. */
  readonly verb: string;
  readonly template: PathTemplate;
  readonly call: RegisteredMethod;
  /** `*`, a top-level field name, or '' when the request has no body. */
  readonly body: string;
  /** A response field to answer with instead of the whole message; '' for the whole. */
  readonly responseBody: string;
  /** True for the POST twin of a GET custom method; yields to a real binding of the same route. */
  readonly alias: boolean;
}

export type RouteMatch =
  | { kind: 'route'; route: Route; params: Map<string, string> }
  | { kind: 'wrong-verb'; allow: string[] }
  | { kind: 'none' };

export interface RouteTable {
  readonly routes: readonly Route[];
  match(verb: string, rawPath: string): RouteMatch;
}

/** Every (verb, template) pair of one HttpRule and its additional bindings. */
export function routesOf(call: RegisteredMethod): Route[] {
  if (!hasOption(call.method, httpOption)) return [];
  const top = getOption(call.method, httpOption);
  const out: Route[] = [];
  for (const rule of [top, ...top.additionalBindings]) {
    const binding = bindingOf(rule);
    if (!binding) continue;
    const template = compileTemplate(binding.path);
    const route = { template, call, body: rule.body, responseBody: rule.responseBody };
    out.push({ ...route, verb: binding.verb, alias: false });
    if (binding.verb === 'GET' && template.verb !== undefined) out.push({ ...route, verb: 'POST', alias: true });
  }
  return out;
}

function bindingOf(rule: HttpRule): { verb: string; path: string } | undefined {
  const p = rule.pattern;
  switch (p.case) {
    case 'get':
    case 'put':
    case 'post':
    case 'delete':
    case 'patch':
      return { verb: p.case.toUpperCase(), path: p.value };
    case 'custom':
      return { verb: p.value.kind.toUpperCase(), path: p.value.path };
    default:
      return undefined;
  }
}

export function buildRouteTable(methods: readonly RegisteredMethod[]): RouteTable {
  const seen = new Map<string, Route>();
  const all = methods.flatMap(routesOf);
  for (const r of [...all.filter((r) => !r.alias), ...all.filter((r) => r.alias)]) {
    const key = `${r.verb} ${r.template.source.replace(/\{[^}]*\}/g, '{}')}`;
    const other = seen.get(key);
    if (other && r.alias) continue;
    if (other) throw new Error(`REST route ${key} is bound twice: ${other.call.path} and ${r.call.path}`);
    seen.set(key, r);
  }
  const routes = [...seen.values()].sort((a, b) => b.template.specificity - a.template.specificity);
  // The candidates of a path are the routes whose template starts with its first segment, and
  // those that start with a variable, in the order above: trying every route of every service
  // was about 1 µs of a REST call.
  const anyFirst = routes.filter((r) => r.template.firstLiteral === undefined);
  const byFirst = new Map<string, Route[]>();
  for (const r of routes) {
    const first = r.template.firstLiteral;
    if (first !== undefined && !byFirst.has(first)) {
      byFirst.set(first, routes.filter((o) => o.template.firstLiteral === first || o.template.firstLiteral === undefined));
    }
  }
  return {
    routes,
    match(verb, rawPath) {
      const path = splitPath(rawPath);
      let allow: Set<string> | undefined;
      for (const route of byFirst.get(path.segments[0]!) ?? anyFirst) {
        const params = route.template.match(path);
        if (!params) continue;
        if (route.verb === verb) return { kind: 'route', route, params };
        (allow ??= new Set()).add(route.verb);
      }
      return allow ? { kind: 'wrong-verb', allow: [...allow].sort() } : { kind: 'none' };
    },
  };
}
