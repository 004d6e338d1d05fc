/**
 * Compute images: import one from a URL (ImageService.Create with `uri`), list the folder's
 * images, and copy one into a desktop image (DesktopImageService.Copy), following each live.
 */
import { useState } from 'preact/hooks';
import { formatBytes, formatTime, parseLabels } from './api';
import type { Session } from './session';
import { ErrorBox, Field, ResourceTable, Section, Select, useAction, useList } from './ui';

interface ComputeImage {
  id: string;
  name?: string;
  status?: string;
  createdAt?: string;
  storageSize?: string;
}

export function ComputeImagesView({ session }: { session: Session }) {
  const [reload, setReload] = useState(0);
  const list = useList<ComputeImage>(session, '/compute/v1/images', 'images', reload);
  const images = list.items;
  const refresh = (): void => setReload((n) => n + 1);

  return (
    <>
      <ImportForm session={session} onDone={refresh} />
      <CopyForm session={session} images={images} />
      <Section title="Compute images">
        <button type="button" onClick={refresh}>
          Refresh
        </button>
        <ErrorBox error={list.error} />
        <ResourceTable
          caption={`Compute images in folder ${session.folderId}`}
          busy={list.busy}
          items={images}
          empty="No Compute images."
          columns={[
            { title: 'Name', cell: (img) => img.name || '—' },
            { title: 'ID', cell: (img) => <code>{img.id}</code> },
            { title: 'Status', cell: (img) => img.status },
            { title: 'Created', cell: (img) => formatTime(img.createdAt) },
            { title: 'Size', cell: (img) => formatBytes(img.storageSize) },
          ]}
        />
      </Section>
    </>
  );
}

function ImportForm({ session, onDone }: { session: Session; onDone: () => void }) {
  const [name, setName] = useState('');
  const [uri, setUri] = useState('');
  const [description, setDescription] = useState('');
  const { busy, error, run } = useAction();
  return (
    <Section title="Import a Compute image from a URL">
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            const body = { folderId: session.folderId, name, uri, description };
            await session.tracker.follow(session.api.send('POST', '/compute/v1/images', body), `Import Compute image ${name}`).finally(onDone);
          });
        }}
      >
        <Field label="Image name" value={name} onInput={setName} required />
        <Field label="Image URL" value={uri} onInput={setUri} type="url" required placeholder="https://example.com/disk.qcow2" />
        <Field label="Image description" value={description} onInput={setDescription} />
        <button type="submit" disabled={busy}>
          Import
        </button>
        <ErrorBox error={error} />
      </form>
    </Section>
  );
}

function CopyForm({ session, images }: { session: Session; images: ComputeImage[] }) {
  const [source, setSource] = useState('');
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [labels, setLabels] = useState('');
  const { busy, error, run } = useAction();
  const ready = images.filter((i) => i.status === 'READY');
  const chosen = source || ready[0]?.id || '';
  return (
    <Section title="Copy a Compute image to a desktop image">
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void run(async () => {
            if (!chosen) throw new Error('Choose a Compute image (import one first)');
            const body = { folderId: session.folderId, imageId: chosen, name, description, labels: parseLabels(labels) };
            await session.tracker.follow(session.api.send('POST', '/cloud-desktop/v1/images:copy', body), `Copy ${chosen} to desktop image ${name}`);
          });
        }}
      >
        <Select label="Source Compute image" value={chosen} onChange={setSource} options={ready.map((i) => ({ value: i.id, label: `${i.name || i.id} (${i.id})` }))} />
        <Field label="Desktop image name" value={name} onInput={setName} required />
        <Field label="Desktop image description" value={description} onInput={setDescription} />
        <Field label="Desktop image labels" value={labels} onInput={setLabels} multiline hint="One key=value per line" />
        <button type="submit" disabled={busy}>
          Copy
        </button>
        <ErrorBox error={error} />
      </form>
    </Section>
  );
}
