/**
 * The authorization table, walked whole: every method of the composed router has a rule that
 * names real request fields, and for every role of the catalogue (and none) each rule allows
 * exactly what docs/decisions.md point 6 gives that role. The expectations are written from the
 * role semantics here, independently of how table.ts spells its rules.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasOption, type DescMethod } from '@bufbuild/protobuf';
import { operation } from '../../gen/yandex/cloud/api/operation_pb.js';
import { loadConfig } from '../../config/config.js';
import { setLogLevel } from '../../logger.js';
import { startApp, type App } from '../../app.js';
import { authzTable } from './table.js';
import type { Check, Rule } from './rules.js';
import { SERVICES } from '../../resources.js';

const AUTHZ_TABLE = authzTable(SERVICES);
import { compileTable } from './authorize.js';
import { allows, FAMILIES, type Family } from '../../domain/iam/permissions.js';
import { grantsOf, ROLES } from '../../domain/iam/roles.js';

let app: App;
let dir: string;

before(async () => {
  setLogLevel('silent');
  dir = mkdtempSync(join(tmpdir(), 'clouddesk-authz-'));
  app = await startApp(loadConfig({ listen: '127.0.0.1:0', dataDir: dir, bootstrapToken: 'table-test-bootstrap-0001', auditSinks: 'none' }));
});

after(async () => {
  await app.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Long-running mutations carry the operation annotation. */
const isOperation = (m: DescMethod) => hasOption(m, operation);
/** Mutations without it: direct replies (wire-contract.md 16 item 4) and Cancel. */
const OTHER_MUTATIONS = new Set([
  '/yandex.cloud.iam.v1.KeyService/Create',
  '/yandex.cloud.iam.v1.IamTokenService/CreateForServiceAccount',
  '/yandex.cloud.operation.OperationService/Cancel',
]);
/**
 * Operating a desktop (power, RDP file, password) is neither a read nor a change of what the
 * resource is: exactly the level `use`, open to the desktop's own users (docs/decisions.md point 21).
 */
const USE_METHODS = new Set(['Start', 'Stop', 'Restart', 'ResetPassword', 'GetRdpFile'].map((m) => `/yandex.cloud.clouddesktop.v1.api.DesktopService/${m}`));
const SPECIAL: Record<string, Rule> = {
  '/yandex.cloud.iam.v1.IamTokenService/Create': 'public',
  '/yandex.cloud.endpoint.ApiEndpointService/Get': 'public',
  '/yandex.cloud.endpoint.ApiEndpointService/List': 'public',
  '/yandex.cloud.iam.v1.IamTokenService/Revoke': 'authenticated',
  '/yandex.cloud.iam.v1.RoleService/Get': 'authenticated',
  '/yandex.cloud.iam.v1.RoleService/List': 'authenticated',
  '/yandex.cloud.resourcemanager.v1.FolderService/List': 'installation',
  '/yandex.cloud.resourcemanager.v1.FolderService/Create': 'installation',
};

/** What each role may do, from its meaning: [family or '*', levels]. */
const MEANING: Record<string, [Family | '*', string[]][]> = {
  admin: [['*', ['read', 'write', 'admin', 'use', 'useOwn']]],
  editor: [['*', ['read', 'write', 'use', 'useOwn']]],
  viewer: [['*', ['read']]],
  'vdi.admin': [
    ['vdi.images', ['read', 'write']], ['vdi.desktops', ['read', 'write', 'admin', 'use', 'useOwn']],
    ['resource-manager.accessBindings', ['read', 'admin']], ['resource-manager.folders', ['read']],
  ],
  'vdi.editor': [['vdi.images', ['read', 'write']], ['vdi.desktops', ['read', 'write', 'use', 'useOwn']]],
  'vdi.viewer': [['vdi.images', ['read']], ['vdi.desktops', ['read']]],
  'vdi.auditor': [['vdi.images', ['read']], ['vdi.desktops', ['read']]],
  'vdi.desktopGroups.maintainer': [['vdi.desktops', ['use', 'useOwn']]],
  'vdi.desktopGroups.user': [['vdi.desktops', ['useOwn']]],
  none: [],
};

function meant(role: string, family: Family, level: string): boolean {
  return MEANING[role]!.some(([f, levels]) => (f === '*' || f === family) && levels.includes(level));
}

/** The families a check can land on: its own, or any for an operation. */
const familiesOf = (c: Check): Family[] => (c.family === 'of-resource' ? [...FAMILIES] : [c.family]);

describe('authorization table', () => {
  it('has a rule for every method the router serves, naming real string fields', () => {
    const methods = app.router.methods();
    assert.ok(methods.length >= 45, `${methods.length} methods`);
    const missing = methods.filter((m) => !AUTHZ_TABLE.has(m.path)).map((m) => m.path);
    assert.deepEqual(missing, []);
    assert.doesNotThrow(() => compileTable(AUTHZ_TABLE, methods));
  });

  it('keeps the special rules to the methods that need them', () => {
    for (const [path, rule] of AUTHZ_TABLE) {
      if (typeof rule === 'string') assert.equal(rule, SPECIAL[path], path);
      else assert.equal(SPECIAL[path], undefined, `${path} should be ${SPECIAL[path]}`);
    }
  });

  it('requires write or admin for every mutation, use (owners too) for operating a desktop and only read for every read', () => {
    const seen = new Set<string>();
    for (const m of app.router.methods()) {
      const rule = AUTHZ_TABLE.get(m.path)!;
      if (typeof rule === 'string') continue;
      const levels = new Set(rule.map((c) => c.level));
      if (USE_METHODS.has(m.path)) {
        seen.add(m.path);
        assert.deepEqual([...levels], ['use'], m.path);
        assert.ok(rule.every((c) => c.owner === true), `${m.path} must be open to the desktop's users`);
      } else if (isOperation(m.method) || OTHER_MUTATIONS.has(m.path)) {
        assert.ok(levels.has('write') || levels.has('admin'), `${m.path} mutates with ${[...levels]}`);
      } else {
        assert.deepEqual([...levels], ['read'], m.path);
      }
      if (/AccessBindings$/.test(m.method.name) && isOperation(m.method)) assert.ok(levels.has('admin'), m.path);
      if (!USE_METHODS.has(m.path)) assert.ok(!levels.has('use') && !levels.has('useOwn'), `${m.path} asks for use`);
    }
    assert.deepEqual([...seen].sort(), [...USE_METHODS].sort());
  });

  for (const role of [...ROLES.map((r) => r.id), 'none']) {
    it(`allows ${role} exactly what the role means, on every method`, () => {
      assert.ok(MEANING[role], `the test does not know role ${role}`);
      const grants = grantsOf(role === 'none' ? [] : [role]);
      for (const [path, rule] of AUTHZ_TABLE) {
        if (typeof rule === 'string') continue;
        for (const c of rule) {
          for (const family of familiesOf(c)) {
            assert.equal(allows(grants, family, c.level), meant(role, family, c.level), `${role} on ${path}: ${c.level} ${family}`);
          }
        }
      }
    });
  }

  it('knows every role of the catalogue', () => {
    assert.deepEqual(ROLES.map((r) => r.id).sort(), Object.keys(MEANING).filter((r) => r !== 'none').sort());
  });
});
