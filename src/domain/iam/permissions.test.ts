import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allows, covers } from './permissions.js';
import { grantsOf, ROLES } from './roles.js';

describe('permissions', () => {
  it('lets wildcards cover every family of their level only', () => {
    assert.ok(allows(['*.read'], 'compute.images', 'read'));
    assert.ok(!allows(['*.read'], 'compute.images', 'write'));
    assert.ok(allows(['vdi.images.write'], 'vdi.images', 'write'));
    assert.ok(!allows(['vdi.images.write'], 'compute.images', 'write'));
    assert.ok(!allows(['vdi.images.read'], null, 'read'));
    assert.ok(allows(['*.read'], null, 'read'));
  });

  it('says which roles a holder may grant: never more than it holds', () => {
    const mayGrant = (holder: string) => ROLES.filter((r) => r.grants.every((g) => covers(grantsOf([holder]), g))).map((r) => r.id);
    assert.deepEqual(mayGrant('admin'), ROLES.map((r) => r.id));
    assert.deepEqual(mayGrant('vdi.admin'), ['vdi.admin', 'vdi.editor', 'vdi.viewer', 'vdi.auditor', 'vdi.desktopGroups.maintainer', 'vdi.desktopGroups.user']);
    assert.ok(!mayGrant('editor').includes('admin'));
    assert.ok(!mayGrant('vdi.viewer').includes('vdi.editor'));
  });
});
