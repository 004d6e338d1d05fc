/** What the DesktopGroupService handlers need from the domain. */
import type { DesktopGroups } from '../domain/desktop-groups.js';
import type { AccessBindings } from '../../access-binding/domain/access-bindings.js';
import type { OperationWire } from '../../../api/operation-wire.js';

export interface Deps {
  readonly groups: DesktopGroups;
  readonly bindings: AccessBindings;
  /** For ListOperations. */
  readonly wire: OperationWire;
}

export { DESKTOPS } from '../../desktop/api/deps.js';
