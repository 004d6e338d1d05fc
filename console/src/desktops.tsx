/**
 * Desktop groups and desktops: list, detail, create a group from a desktop image, create a
 * desktop in a group, start/stop/restart and delete, each followed live as an Operation.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatTime, type Labels, type Operation } from './api';
import type { DesktopImage } from './desktop-images';
import type { Session } from './session';
import { ErrorBox, Field, LabelsTable, Section, Select, useAction } from './ui';

interface Group {
  id: string;
  name?: string;
  status?: string;
  createdAt?: string;
  description?: string;
  labels?: Labels;
  desktopImageId?: string;
}

interface Desktop {
  id: string;
  name?: string;
  status?: string;
  createdAt?: string;
  desktopGroupId?: string;
  labels?: Labels;
  users?: { subjectId: string; subjectType: string }[];
}

const GROUPS = '/cloud-desktop/v1/desktopGroups';
const DESKTOPS = '/cloud-desktop/v1/desktops';

function useList<T>(session: Session, path: string, key: string, reload: number): { items: T[]; busy: boolean; error: string | null } {
  const [items, setItems] = useState<T[]>([]);
  const { busy, error, run } = useAction();
  useEffect(() => {
    void run(async () => {
      const res = await session.api.get<Record<string, T[]>>(path, { folderId: session.folderId, pageSize: 1000 });
      setItems(res[key] ?? []);
    });
  }, [session, path, reload]);
  return { items, busy, error };
}

/** Runs one mutation and follows its operation; the error of a failed operation is thrown. */
async function follow(session: Session, started: Promise<Operation>, label: string): Promise<void> {
  const op = await session.tracker.track(await started, label);
  if (op.error) throw new Error(op.error.message);
}

export function DesktopsView({ session }: { session: Session }) {
  const [reload, setReload] = useState(0);
  const refresh = (): void => setReload((n) => n + 1);
  const groups = useList<Group>(session, GROUPS, 'desktopGroups', reload);
  const desktops = useList<Desktop>(session, DESKTOPS, 'desktops', reload);
  const images = useList<DesktopImage>(session, '/cloud-desktop/v1/images', 'desktopImages', reload);
  const [detail, setDetail] = useState<{ kind: 'group' | 'desktop'; id: string } | null>(null);
  const action = useAction();
  const act = (started: () => Promise<Operation>, label: string): Promise<void> => action.run(() => follow(session, started(), label).finally(refresh));

  if (detail) return <Detail session={session} {...detail} onBack={() => (setDetail(null), refresh())} />;
  return (
    <>
      <CreateGroup session={session} images={images.items.filter((i) => i.status === 'ACTIVE')} onDone={refresh} />
      <CreateDesktop session={session} groups={groups.items} onDone={refresh} />
      <Section title="Desktop groups">
        <button type="button" onClick={refresh}>
          Refresh
        </button>
        <ErrorBox error={groups.error} />
        <div class="table-wrap">
          <table aria-busy={groups.busy}>
            <caption>Desktop groups in folder {session.folderId}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {groups.items.map((g) => (
                <tr key={g.id}>
                  <td data-label="Name">
                    <button type="button" class="link" onClick={() => setDetail({ kind: 'group', id: g.id })}>
                      {g.name || g.id}
                    </button>
                  </td>
                  <td data-label="ID">
                    <code>{g.id}</code>
                  </td>
                  <td data-label="Status">{g.status}</td>
                  <td data-label="Created">{formatTime(g.createdAt)}</td>
                  <td data-label="Actions">
                    <button type="button" class="destructive" onClick={() => void act(() => session.api.send('DELETE', `${GROUPS}/${g.id}`), `Delete desktop group ${g.id}`)}>
                      Delete group {g.name || g.id}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      <Section title="Desktops">
        <ErrorBox error={desktops.error ?? action.error} />
        <div class="table-wrap">
          <table aria-busy={desktops.busy}>
            <caption>Desktops in folder {session.folderId}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">ID</th>
                <th scope="col">Status</th>
                <th scope="col">Group</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {desktops.items.map((d) => (
                <tr key={d.id}>
                  <td data-label="Name">
                    <button type="button" class="link" onClick={() => setDetail({ kind: 'desktop', id: d.id })}>
                      {d.name || d.id}
                    </button>
                  </td>
                  <td data-label="ID">
                    <code>{d.id}</code>
                  </td>
                  <td data-label="Status">{d.status}</td>
                  <td data-label="Group">{d.desktopGroupId}</td>
                  <td data-label="Actions">
                    <div class="actions">
                    {(['Start', 'Stop', 'Restart'] as const).map((verb) => (
                      <button type="button" aria-label={`${verb} desktop ${d.name || d.id}`} onClick={() => void act(() => session.api.send('POST', `${DESKTOPS}/${d.id}:${verb.toLowerCase()}`, {}), `${verb} desktop ${d.id}`)}>
                        {verb}
                      </button>
                    ))}
                    <button type="button" class="destructive" aria-label={`Delete desktop ${d.name || d.id}`} onClick={() => void act(() => session.api.send('DELETE', `${DESKTOPS}/${d.id}`), `Delete desktop ${d.id}`)}>
                      Delete
                    </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </>
  );
}

function CreateGroup({ session, images, onDone }: { session: Session; images: DesktopImage[]; onDone: () => void }) {
  const [name, setName] = useState('');
  const [image, setImage] = useState('');
  const { busy, error, run } = useAction();
  const chosen = image || images[0]?.id || '';
  return (
    <Section title="Create a desktop group">
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            if (!chosen) throw new Error('Choose an active desktop image');
            await follow(session, session.api.send('POST', GROUPS, { folderId: session.folderId, desktopImageId: chosen, name }), `Create desktop group ${name}`).finally(onDone);
          });
        }}
      >
        <Field label="Group name" value={name} onInput={setName} required hint="Lowercase letters, digits and hyphens" />
        <Select label="Desktop image" value={chosen} onChange={setImage} options={images.map((i) => ({ value: i.id, label: `${i.name || i.id} (${i.id})` }))} />
        <button type="submit" disabled={busy}>
          Create group
        </button>
        <ErrorBox error={error} />
      </form>
    </Section>
  );
}

function CreateDesktop({ session, groups, onDone }: { session: Session; groups: Group[]; onDone: () => void }) {
  const [group, setGroup] = useState('');
  const [name, setName] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [subjectType, setSubjectType] = useState('userAccount');
  const { busy, error, run } = useAction();
  const chosen = group || groups[0]?.id || '';
  return (
    <Section title="Create a desktop">
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            if (!chosen) throw new Error('Choose a desktop group (create one first)');
            const body = { desktopGroupId: chosen, name, users: [{ subjectId, subjectType }] };
            await follow(session, session.api.send('POST', DESKTOPS, body), `Create desktop ${name || 'in ' + chosen}`).finally(onDone);
          });
        }}
      >
        <Select label="Desktop group" value={chosen} onChange={setGroup} options={groups.map((g) => ({ value: g.id, label: `${g.name || g.id} (${g.id})` }))} />
        <Field label="Desktop name" value={name} onInput={setName} />
        <Field label="User subject ID" value={subjectId} onInput={setSubjectId} required />
        <Field label="User subject type" value={subjectType} onInput={setSubjectType} required />
        <button type="submit" disabled={busy}>
          Create desktop
        </button>
        <ErrorBox error={error} />
      </form>
    </Section>
  );
}

function Detail({ session, kind, id, onBack }: { session: Session; kind: 'group' | 'desktop'; id: string; onBack: () => void }) {
  const [item, setItem] = useState<(Group & Desktop) | null>(null);
  const [members, setMembers] = useState<Desktop[]>([]);
  const { error, run } = useAction();
  useEffect(() => {
    void run(async () => {
      setItem(await session.api.get(`${kind === 'group' ? GROUPS : DESKTOPS}/${encodeURIComponent(id)}`));
      if (kind === 'group') setMembers((await session.api.get<{ desktops?: Desktop[] }>(`${GROUPS}/${encodeURIComponent(id)}/desktops`)).desktops ?? []);
    });
  }, [kind, id]);
  return (
    <Section title={`${kind === 'group' ? 'Desktop group' : 'Desktop'} ${item?.name || id}`}>
      <button type="button" onClick={onBack}>
        Back to desktops
      </button>
      <ErrorBox error={error} />
      {item && (
        <>
          <dl class="details">
            <dt>ID</dt>
            <dd>
              <code>{item.id}</code>
            </dd>
            <dt>Status</dt>
            <dd>{item.status}</dd>
            <dt>Created</dt>
            <dd>{formatTime(item.createdAt)}</dd>
            {item.desktopGroupId && (
              <>
                <dt>Group</dt>
                <dd>{item.desktopGroupId}</dd>
              </>
            )}
            {item.users && (
              <>
                <dt>Users</dt>
                <dd>{item.users.map((u) => `${u.subjectType}:${u.subjectId}`).join(', ')}</dd>
              </>
            )}
            {kind === 'group' && (
              <>
                <dt>Desktops</dt>
                <dd>{members.map((d) => d.name || d.id).join(', ') || 'none'}</dd>
              </>
            )}
          </dl>
          <LabelsTable labels={item.labels} />
        </>
      )}
    </Section>
  );
}
