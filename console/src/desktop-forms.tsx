/** The desktop forms and detail view: create a group from an image, create a desktop, show one. */
import { useEffect, useState } from 'preact/hooks';
import { formatTime, type Labels } from './api';
import type { DesktopImage } from './desktop-image-detail';
import type { Session } from './session';
import { ErrorBox, Field, LabelsTable, Section, Select, useAction } from './ui';

export interface Group {
  id: string;
  name?: string;
  status?: string;
  createdAt?: string;
  description?: string;
  labels?: Labels;
  desktopImageId?: string;
}

export interface Desktop {
  id: string;
  name?: string;
  status?: string;
  createdAt?: string;
  desktopGroupId?: string;
  labels?: Labels;
  users?: { subjectId: string; subjectType: string }[];
}

export const GROUPS = '/cloud-desktop/v1/desktopGroups';
export const DESKTOPS = '/cloud-desktop/v1/desktops';

export function CreateGroup({ session, images, onDone }: { session: Session; images: DesktopImage[]; onDone: () => void }) {
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
            await session.tracker.follow(session.api.send('POST', GROUPS, { folderId: session.folderId, desktopImageId: chosen, name }), `Create desktop group ${name}`).finally(onDone);
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

export function CreateDesktop({ session, groups, onDone }: { session: Session; groups: Group[]; onDone: () => void }) {
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
            await session.tracker.follow(session.api.send('POST', DESKTOPS, body), `Create desktop ${name || 'in ' + chosen}`).finally(onDone);
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

export function Detail({ session, kind, id, onBack }: { session: Session; kind: 'group' | 'desktop'; id: string; onBack: () => void }) {
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
