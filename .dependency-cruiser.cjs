/**
 * The dependency rule (docs/architecture.md): imports point inward only, and nothing imports
 * in a cycle, types included. `npm test` runs it before the tests, so CI fails on a violation.
 *
 *   domain            ← everything may use it; it uses nothing but itself (and clock, ids, logger)
 *   storage, blobs, runtimes ← adapters: implement domain ports
 *   metrics           ← adapter: prom-client, fed by observers the composition connects
 *   transport         ← protocols only: knows no resource, no storage, no api
 *   api               ← wire mapping and rules: uses domain and transport, never adapters
 *   app, resources.ts, modules/, resources/<r>/module.ts, cli/, main  ← composition: anything
 *
 * Each resource folder repeats the layers: resources/<r>/{domain,storage,api}. Tests wire real
 * adapters and are exempt from the layer rules (not from the cycle rule).
 */
const DOMAIN = '^src/(domain|resources/[^/]+/domain)/';
const STORAGE = '^src/(storage|resources/[^/]+/storage)/';
const API = '^src/(api|resources/[^/]+/api)/';
const COMPOSITION = '^src/((app|resources|module|main)\\.ts$|modules/|cli/|resources/[^/]+/module\\.ts$)';
const TESTS = '(\\.(test|contract)|/temp-store|/fake-source|-fixture)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle (types included) means two modules cannot be understood apart.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-inward',
      severity: 'error',
      comment: 'The domain declares ports; adapters, protocols, wire types and composition depend on it, never the reverse.',
      from: { path: DOMAIN, pathNot: TESTS },
      to: { path: [STORAGE, API, COMPOSITION, '^src/(transport|blobs|runtimes|gen|config|audit-sinks|metrics)/'] },
    },
    {
      name: 'storage-knows-no-wire',
      severity: 'error',
      from: { path: STORAGE, pathNot: TESTS },
      to: { path: [API, COMPOSITION, '^src/(transport|blobs|gen|audit-sinks)/'] },
    },
    {
      name: 'blobs-know-no-wire',
      severity: 'error',
      from: { path: '^src/(blobs|runtimes)/', pathNot: TESTS },
      to: { path: [STORAGE, API, COMPOSITION, '^src/(transport|gen|audit-sinks)/'] },
    },
    {
      name: 'transport-knows-no-resource',
      severity: 'error',
      comment: 'Protocols only: a resource, a store or an api module imported here would tie the wire to them.',
      from: { path: '^src/transport/', pathNot: TESTS },
      to: { path: [STORAGE, API, COMPOSITION, '^src/(resources|blobs|runtimes|config|audit-sinks|metrics)/'] },
    },
    {
      name: 'api-uses-no-adapter',
      severity: 'error',
      from: { path: API, pathNot: TESTS },
      to: { path: [STORAGE, COMPOSITION, '^src/(blobs|runtimes|audit-sinks)/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/gen/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
