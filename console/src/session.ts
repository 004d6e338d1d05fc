/**
 * The signed-in session: the token and folder live in sessionStorage (this tab only, gone when it
 * closes) or memory, never in localStorage or a cookie.
 */
import { Api } from './api';
import { OperationTracker } from './operations';

export interface Session {
  token: string;
  folderId: string;
  api: Api;
  tracker: OperationTracker;
}

const KEY = 'clouddesk.console.session';

export function newSession(token: string, folderId: string): Session {
  const api = new Api(token);
  return { token, folderId, api, tracker: new OperationTracker(api) };
}

export function saveSession(s: Session): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ token: s.token, folderId: s.folderId }));
  } catch {
    // storage refused (private mode): the session stays in memory only
  }
}

export function restoreSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const { token, folderId } = JSON.parse(raw) as { token?: string; folderId?: string };
    return token && folderId ? newSession(token, folderId) : null;
  } catch {
    return null;
  }
}

export function forgetSession(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}
