/**
 * Desktop groups and desktops: list, detail, create a group from a desktop image, create a
 * desktop in a group, start/stop/restart and delete, each followed live as an Operation.
 */
import { useState } from 'preact/hooks';
import { formatTime, type Operation } from './api';
import type { DesktopImage } from './desktop-image-detail';
import { CreateDesktop, CreateGroup, DESKTOPS, Detail, GROUPS, type Desktop, type Group } from './desktop-forms';
import type { Session } from './session';
import { ErrorBox, ResourceTable, Section, useAction, useList } from './ui';

export function DesktopsView({ session }: { session: Session }) {
  const [reload, setReload] = useState(0);
  const refresh = (): void => setReload((n) => n + 1);
  const groups = useList<Group>(session, GROUPS, 'desktopGroups', reload);
  const desktops = useList<Desktop>(session, DESKTOPS, 'desktops', reload);
  const images = useList<DesktopImage>(session, '/cloud-desktop/v1/images', 'desktopImages', reload);
  const [detail, setDetail] = useState<{ kind: 'group' | 'desktop'; id: string } | null>(null);
  const action = useAction();
  const act = (started: () => Promise<Operation>, label: string): Promise<void> => action.run(() => session.tracker.follow(started(), label).finally(refresh));

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
        <ResourceTable
          caption={`Desktop groups in folder ${session.folderId}`}
          busy={groups.busy}
          items={groups.items}
          columns={[
            { title: 'Name', cell: (g) => <button type="button" class="link" onClick={() => setDetail({ kind: 'group', id: g.id })}>{g.name || g.id}</button> },
            { title: 'ID', cell: (g) => <code>{g.id}</code> },
            { title: 'Status', cell: (g) => g.status },
            { title: 'Created', cell: (g) => formatTime(g.createdAt) },
            {
              title: 'Actions',
              cell: (g) => (
                <button type="button" class="destructive" onClick={() => void act(() => session.api.send('DELETE', `${GROUPS}/${g.id}`), `Delete desktop group ${g.id}`)}>
                  Delete group {g.name || g.id}
                </button>
              ),
            },
          ]}
        />
      </Section>
      <Section title="Desktops">
        <ErrorBox error={desktops.error ?? action.error} />
        <ResourceTable
          caption={`Desktops in folder ${session.folderId}`}
          busy={desktops.busy}
          items={desktops.items}
          columns={[
            { title: 'Name', cell: (d) => <button type="button" class="link" onClick={() => setDetail({ kind: 'desktop', id: d.id })}>{d.name || d.id}</button> },
            { title: 'ID', cell: (d) => <code>{d.id}</code> },
            { title: 'Status', cell: (d) => d.status },
            { title: 'Group', cell: (d) => d.desktopGroupId },
            {
              title: 'Actions',
              cell: (d) => (
                <div class="actions">
                  {(['Start', 'Stop', 'Restart'] as const).map((verb) => (
                    <button type="button" key={verb} aria-label={`${verb} desktop ${d.name || d.id}`} onClick={() => void act(() => session.api.send('POST', `${DESKTOPS}/${d.id}:${verb.toLowerCase()}`, {}), `${verb} desktop ${d.id}`)}>
                      {verb}
                    </button>
                  ))}
                  <button type="button" class="destructive" aria-label={`Delete desktop ${d.name || d.id}`} onClick={() => void act(() => session.api.send('DELETE', `${DESKTOPS}/${d.id}`), `Delete desktop ${d.id}`)}>
                    Delete
                  </button>
                </div>
              ),
            },
          ]}
        />
      </Section>
    </>
  );
}
