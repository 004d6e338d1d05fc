/** One desktop image: its fields and labels, update (name, description, labels) and delete. */
import { useEffect, useState } from 'preact/hooks';
import { formatBytes, formatLabels, formatTime, parseLabels, type Labels } from './api';
import type { Session } from './session';
import { ErrorBox, Field, LabelsTable, Section, useAction } from './ui';

export interface DesktopImage {
  id: string;
  folderId: string;
  createdAt?: string;
  status?: string;
  name?: string;
  description?: string;
  labels?: Labels;
  storageSize?: string;
  minDiskSize?: string;
}

export function ImageDetail({ session, id, onBack }: { session: Session; id: string; onBack: () => void }) {
  const [image, setImage] = useState<DesktopImage | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [labels, setLabels] = useState('');
  const [confirming, setConfirming] = useState(false);
  const load = useAction();
  const save = useAction();
  const path = `/cloud-desktop/v1/images/${encodeURIComponent(id)}`;

  const fetchImage = (): Promise<void> =>
    load.run(async () => {
      const img = await session.api.get<DesktopImage>(path);
      setImage(img);
      setName(img.name ?? '');
      setDescription(img.description ?? '');
      setLabels(formatLabels(img.labels));
    });
  useEffect(() => void fetchImage(), [id]);

  const update = (): Promise<void> =>
    save.run(async () => {
      const body = { updateMask: 'name,description,labels', name, description, labels: parseLabels(labels) };
      await session.tracker.follow(session.api.send('PATCH', path, body), `Update desktop image ${id}`);
      await fetchImage();
    });
  const remove = (): Promise<void> =>
    save.run(async () => {
      await session.tracker.follow(session.api.send('DELETE', path), `Delete desktop image ${id}`);
      onBack();
    });

  return (
    <Section title={`Desktop image ${image?.name ?? id}`}>
      <button type="button" onClick={onBack}>
        Back to desktop images
      </button>
      <ErrorBox error={load.error} />
      {image && (
        <>
          <dl class="details">
            <dt>ID</dt>
            <dd>
              <code>{image.id}</code>
            </dd>
            <dt>Folder</dt>
            <dd>{image.folderId}</dd>
            <dt>Status</dt>
            <dd>{image.status}</dd>
            <dt>Created</dt>
            <dd>{formatTime(image.createdAt)}</dd>
            <dt>Storage size</dt>
            <dd>{formatBytes(image.storageSize)}</dd>
            <dt>Minimum disk size</dt>
            <dd>{formatBytes(image.minDiskSize)}</dd>
            <dt>Description</dt>
            <dd>{image.description || '—'}</dd>
          </dl>
          <LabelsTable labels={image.labels} />
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void update();
            }}
          >
            <h3>Update</h3>
            <Field label="Name" value={name} onInput={setName} />
            <Field label="Description" value={description} onInput={setDescription} multiline />
            <Field label="Labels" value={labels} onInput={setLabels} multiline hint="One key=value per line" />
            <button type="submit" disabled={save.busy}>
              Save changes
            </button>
          </form>
          <div class="danger">
            {confirming ? (
              <>
                <button type="button" class="destructive" disabled={save.busy} onClick={() => void remove()}>
                  Confirm delete
                </button>
                <button type="button" onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </>
            ) : (
              <button type="button" class="destructive" onClick={() => setConfirming(true)}>
                Delete image
              </button>
            )}
          </div>
          <ErrorBox error={save.error} />
        </>
      )}
    </Section>
  );
}
