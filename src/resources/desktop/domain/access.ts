/**
 * How people reach a desktop (docs/decisions.md point 17): the RDP file names the address the
 * runtime reports and the user; ResetPassword makes a fresh password for one of the desktop's
 * users and returns it once. Both need an ACTIVE desktop; authorization has already checked that
 * the caller is one of its users or may operate any desktop there. Each call is an audit event
 * (GenerateDesktopRDPFile, ResetDesktopPassword) without the password.
 *
 *   const { headers, content } = await access.rdpFile(desktopId, user, caller);
 */
import type { Store } from '../../../domain/store.js';
import type { Clock } from '../../../clock.js';
import type { Caller } from '../../../domain/caller.js';
import type { ChangeRecorder } from '../../../domain/audit/audit-log.js';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError, PermissionDeniedError } from '../../../domain/errors.js';
import { DESKTOP, stateMessage, type Desktop, type DesktopUser } from './desktop.js';
import type { DesktopRuntime } from './runtime.js';
import { hashPassword, newPassword } from './passwords.js';

export interface RdpFile {
  headers: Record<string, string>;
  content: string;
}

export class DesktopAccess {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly runtime: DesktopRuntime,
    private readonly recordChange: ChangeRecorder,
  ) {}

  async rdpFile(desktopId: string, user: DesktopUser | undefined, caller: Caller): Promise<RdpFile> {
    const desktop = await this.active(desktopId);
    const who = user ? userOf(desktop, user, 'user') : (desktop.users.find((u) => u.subjectId === caller.subjectId) ?? desktop.users[0]);
    const { host, port } = this.runtime.connection(desktop);
    const content = [
      `full address:s:${host}:${port}`,
      ...(who ? [`username:s:${who.subjectId}`] : []),
      'prompt for credentials:i:1',
      'administrative session:i:0',
      'screen mode id:i:2',
      'authentication level:i:2',
      '',
    ].join('\r\n');
    await this.store.transact((tx) => this.recordChange(tx, caller, { folderId: desktop.folderId, details: DESKTOP.details!(desktop) }));
    return {
      headers: { 'Content-Type': 'application/x-rdp', 'Content-Disposition': `attachment; filename="${desktop.name || desktop.id}.rdp"` },
      content,
    };
  }

  /**
   * A fresh password for `user`, returned once; only its scrypt hash is kept. A caller who may
   * use the desktop only as one of its users (`actingFor`: its subject id) resets its own
   * password, never another user's of a shared desktop.
   */
  async resetPassword(desktopId: string, user: DesktopUser, caller: Caller, actingFor?: string): Promise<string> {
    const desktop = await this.active(desktopId);
    const who = userOf(desktop, user, 'user');
    if (actingFor !== undefined && who.subjectId !== actingFor) {
      throw new PermissionDeniedError(`Permission denied to reset the password of ${who.subjectId} on desktop ${desktop.id}`);
    }
    const password = newPassword();
    const hash = await hashPassword(password);
    await this.store.transact(async (tx) => {
      const current = await tx.desktops.get(desktop.id);
      if (!current || current.status !== 'ACTIVE') throw new FailedPreconditionError(stateMessage(current ?? desktop));
      await tx.desktopPasswords.set(desktop.id, who.subjectId, hash, this.clock.now());
      await this.recordChange(tx, caller, { folderId: desktop.folderId, details: { ...DESKTOP.details!(desktop), subject_id: who.subjectId } });
    });
    return password;
  }

  private async active(desktopId: string): Promise<Desktop> {
    const desktop = await this.store.read((tx) => tx.desktops.get(desktopId));
    if (!desktop) throw new NotFoundError(`Desktop ${desktopId} not found`);
    if (desktop.status !== 'ACTIVE') throw new FailedPreconditionError(stateMessage(desktop));
    return desktop;
  }
}

function userOf(desktop: Desktop, user: DesktopUser, field: string): DesktopUser {
  const found = desktop.users.find((u) => u.subjectId === user.subjectId);
  if (!found) throw InvalidArgumentError.field(`${field}.subject_id`, `Subject ${user.subjectId} is not a user of desktop ${desktop.id}`);
  return found;
}
