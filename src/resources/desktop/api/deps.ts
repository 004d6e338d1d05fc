/** What the DesktopService handlers need from the domain. */
import type { Desktops } from '../domain/desktops.js';
import type { DesktopPower } from '../domain/power.js';
import type { DesktopAccess } from '../domain/access.js';
import type { OperationWire } from '../../../api/operation-wire.js';

export interface Deps {
  readonly desktops: Desktops;
  readonly power: DesktopPower;
  readonly access: DesktopAccess;
  /** For ListOperations. */
  readonly wire: OperationWire;
}

/** The permission family of desktop groups and desktops. */
export const DESKTOPS = 'vdi.desktops';
