/**
 * Desktop images: a table with a name filter, sorting and page-token paging, and a detail view
 * with labels, update (name, description, labels) and delete, each followed live as an Operation.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatBytes, formatTime } from './api';
import { ImageDetail, type DesktopImage } from './desktop-image-detail';
import type { Session } from './session';
import { ErrorBox, Field, ResourceTable, Section, Select, useAction } from './ui';

interface ListResponse {
  desktopImages?: DesktopImage[];
  nextPageToken?: string;
}

/** A quoted string of the List filter grammar. */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function DesktopImagesView({ session }: { session: Session }) {
  const [selected, setSelected] = useState<string | null>(null);
  if (selected) return <ImageDetail session={session} id={selected} onBack={() => setSelected(null)} />;
  return <ImageList session={session} onOpen={setSelected} />;
}

function ImageList({ session, onOpen }: { session: Session; onOpen: (id: string) => void }) {
  const [nameFilter, setNameFilter] = useState('');
  const [applied, setApplied] = useState('');
  const [sort, setSort] = useState('created_at');
  const [order, setOrder] = useState('desc');
  const [pageSize, setPageSize] = useState('10');
  const [tokens, setTokens] = useState<string[]>(['']); // page tokens of the pages seen, first is ''
  const [page, setPage] = useState<ListResponse | null>(null);
  const [reload, setReload] = useState(0);
  const { busy, error, run } = useAction();
  const token = tokens[tokens.length - 1];

  useEffect(() => {
    void run(async () => {
      setPage(
        await session.api.get<ListResponse>('/cloud-desktop/v1/images', {
          folderId: session.folderId,
          pageSize,
          pageToken: token,
          filter: applied ? `name=${quote(applied)}` : undefined,
          orderBy: `${sort} ${order}`,
        }),
      );
    });
  }, [session, applied, sort, order, pageSize, token, reload]);

  const restart = (): void => setTokens(['']);
  const images = page?.desktopImages ?? [];
  return (
    <Section title="Desktop images">
      <form
        class="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(nameFilter.trim());
          restart();
          setReload((n) => n + 1);
        }}
      >
        <Field label="Filter by name" value={nameFilter} onInput={setNameFilter} placeholder="exact name" />
        <Select label="Sort by" value={sort} onChange={(v) => (setSort(v), restart())} options={[{ value: 'name', label: 'Name' }, { value: 'created_at', label: 'Created' }, { value: 'status', label: 'Status' }]} />
        <Select label="Order" value={order} onChange={(v) => (setOrder(v), restart())} options={[{ value: 'asc', label: 'Ascending' }, { value: 'desc', label: 'Descending' }]} />
        <Select label="Page size" value={pageSize} onChange={(v) => (setPageSize(v), restart())} options={['10', '25', '50', '100'].map((v) => ({ value: v, label: v }))} />
        <button type="submit">Apply</button>
        <button type="button" onClick={() => setReload((n) => n + 1)}>
          Refresh
        </button>
      </form>
      <ErrorBox error={error} />
      <ResourceTable
        caption={`Desktop images in folder ${session.folderId}, page ${tokens.length}`}
        busy={busy}
        items={images}
        empty={`No desktop images${applied ? ` named "${applied}"` : ''}.`}
        columns={[
          {
            title: 'Name',
            cell: (img) => (
              <button type="button" class="link" onClick={() => onOpen(img.id)}>
                {img.name || img.id}
              </button>
            ),
          },
          { title: 'ID', cell: (img) => <code>{img.id}</code> },
          { title: 'Status', cell: (img) => img.status },
          { title: 'Created', cell: (img) => formatTime(img.createdAt) },
          { title: 'Size', cell: (img) => formatBytes(img.storageSize) },
        ]}
      />
      <nav class="pager" aria-label="Pages">
        <button type="button" disabled={tokens.length === 1} onClick={() => setTokens(tokens.slice(0, -1))}>
          Previous page
        </button>
        <button type="button" disabled={!page?.nextPageToken} onClick={() => setTokens([...tokens, page!.nextPageToken!])}>
          Next page
        </button>
      </nav>
    </Section>
  );
}
