import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../store.js';
import { ResourceFolders } from './resource-folders.js';
import { DESCRIPTORS } from '../../resources.js';

describe('resource folders', () => {
  it('maps operation kinds to the family of the resource they act on', () => {
    const folders = new ResourceFolders({} as Store, DESCRIPTORS);
    assert.equal(folders.familyOfOperationKind('desktop-image.copy'), 'vdi.images');
    assert.equal(folders.familyOfOperationKind('compute-image.create'), 'compute.images');
    assert.equal(folders.familyOfOperationKind('iam.key.delete'), 'iam.serviceAccounts');
    assert.equal(folders.familyOfOperationKind('iam.service-account.create'), 'iam.serviceAccounts');
    assert.equal(folders.familyOfOperationKind('access-bindings.set'), 'resource-manager.accessBindings');
    assert.equal(folders.familyOfOperationKind('something.else'), null);
  });
});
