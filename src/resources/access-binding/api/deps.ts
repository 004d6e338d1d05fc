/** What the FolderService handlers need from the domain. */
import type { AccessBindings } from '../domain/access-bindings.js';

export interface Deps {
  readonly bindings: AccessBindings;
}

export const FOLDERS = 'resource-manager.folders';
export const BINDINGS = 'resource-manager.accessBindings';
