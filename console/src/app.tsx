/**
 * The console's shell: the sign-in form until there is a session, then a navigation bar, the
 * live list of recent operations and the chosen view.
 */
import { useRef, useState, useEffect } from 'preact/hooks';
import { ComputeImagesView } from './compute-images';
import { DesktopImagesView } from './desktop-images';
import { DesktopsView } from './desktops';
import { OperationsView } from './operations-view';
import { forgetSession, newSession, restoreSession, saveSession, type Session } from './session';
import { ErrorBox, Field, RecentOperations, useAction } from './ui';

const VIEWS = [
  { key: 'images', label: 'Desktop images', View: DesktopImagesView },
  { key: 'compute', label: 'Compute images', View: ComputeImagesView },
  { key: 'desktops', label: 'Desktops and groups', View: DesktopsView },
  { key: 'operations', label: 'Operations', View: OperationsView },
] as const;

export function App() {
  const [session, setSession] = useState<Session | null>(() => restoreSession());
  const [view, setView] = useState<string>('images');
  const main = useRef<HTMLElement>(null);
  useEffect(() => main.current?.focus(), [view, session]);

  if (!session) {
    return (
      <main ref={main} tabIndex={-1}>
        <SignIn onSignedIn={(s) => (saveSession(s), setSession(s))} />
      </main>
    );
  }
  const current = VIEWS.find((v) => v.key === view) ?? VIEWS[0];
  return (
    <>
      <header class="top">
        <h1>clouddesk console</h1>
        <nav aria-label="Sections">
          {VIEWS.map((v) => (
            <button type="button" aria-current={v.key === current.key ? 'page' : undefined} onClick={() => setView(v.key)}>
              {v.label}
            </button>
          ))}
        </nav>
        <p class="who">
          Folder <code>{session.folderId}</code>
          <button type="button" onClick={() => (forgetSession(), setSession(null))}>
            Sign out
          </button>
        </p>
      </header>
      <RecentOperations tracker={session.tracker} />
      <main ref={main} tabIndex={-1} aria-label={current.label}>
        <current.View key={current.key} session={session} />
      </main>
    </>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [token, setToken] = useState('');
  const [folderId, setFolderId] = useState('');
  const { busy, error, run } = useAction();
  return (
    <section class="card signin" aria-label="Sign in">
      <h1>clouddesk console</h1>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          await run(async () => {
            const s = newSession(token.trim(), folderId.trim());
            // One authenticated call proves the token and the folder before anything is shown.
            await s.api.get('/cloud-desktop/v1/images', { folderId: s.folderId, pageSize: 1 });
            onSignedIn(s);
          });
        }}
      >
        <Field label="Token" value={token} onInput={setToken} type="password" required autoComplete="off" hint="An IAM token or API key; kept in this tab only" />
        <Field label="Folder ID" value={folderId} onInput={setFolderId} required />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        <ErrorBox error={error} />
      </form>
    </section>
  );
}
