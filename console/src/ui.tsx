/**
 * Small shared pieces of the console's views: labelled fields, the error box, the live list of
 * tracked operations, a labels table, a hook that runs an action and keeps its error, and one that
 * lists a folder's resources.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useState } from 'preact/hooks';
import { describeError, formatTime, type Labels } from './api';
import type { Session } from './session';
import { stateOf, type OperationTracker, type Tracked } from './operations';

interface FieldProps {
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  required?: boolean;
  placeholder?: string;
  multiline?: boolean;
  autoComplete?: string;
  hint?: string;
}

export function Field(p: FieldProps) {
  const id = useId();
  const hintId = p.hint ? `${id}-hint` : undefined;
  const common = {
    id,
    value: p.value,
    required: p.required,
    placeholder: p.placeholder,
    'aria-describedby': hintId,
    onInput: (e: Event) => p.onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      {p.multiline ? <textarea {...common} rows={3} /> : <input {...common} type={p.type ?? 'text'} autoComplete={p.autoComplete ?? 'off'} />}
      {p.hint && (
        <small id={hintId} class="hint">
          {p.hint}
        </small>
      )}
    </div>
  );
}

interface SelectProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  options: { value: string; label: string }[];
  required?: boolean;
}

export function Select(p: SelectProps) {
  const id = useId();
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <select id={id} value={p.value} required={p.required} onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)}>
        {p.options.map((o) => (
          <option value={o.value}>{o.label}</option>
        ))}
      </select>
    </div>
  );
}

export function ErrorBox({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

export function Section({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** Runs an async action, exposing busy and the error as one line for a person. */
export function useAction(): { busy: boolean; error: string | null; run: (fn: () => Promise<unknown>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** Lists the folder's resources at `path` (the array under `key` of the response), again when `reload` changes. */
export function useList<T>(session: Session, path: string, key: string, reload: number): { items: T[]; busy: boolean; error: string | null } {
  const [items, setItems] = useState<T[]>([]);
  const { busy, error, run } = useAction();
  useEffect(() => {
    void run(async () => {
      const res = await session.api.get<Record<string, T[] | undefined>>(path, { folderId: session.folderId, pageSize: 1000 });
      setItems(res[key] ?? []);
    });
  }, [session, path, reload]);
  return { items, busy, error };
}

export function useTracked(tracker: OperationTracker): readonly Tracked[] {
  const [items, setItems] = useState(tracker.list());
  useEffect(() => tracker.subscribe(() => setItems(tracker.list())), [tracker]);
  return items;
}

function OperationRow({ t }: { t: Tracked }) {
  const state = stateOf(t);
  return (
    <tr class={`op-${state}`}>
      <td data-label="Action">{t.label}</td>
      <td data-label="Operation ID">
        <code>{t.op.id}</code>
      </td>
      <td data-label="Status">
        <span class={`badge ${state}`}>{state}</span>
      </td>
      <td data-label="Started">{formatTime(t.op.createdAt)}</td>
      <td data-label="Result" class="wrap">
        {t.op.error ? `${t.op.error.message} (code ${t.op.error.code})` : t.pollError ?? (t.op.done ? 'finished' : 'in progress…')}
      </td>
    </tr>
  );
}

export function OperationTable({ items, caption }: { items: readonly Tracked[]; caption: string }) {
  return (
    <div class="table-wrap">
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Action</th>
            <th scope="col">Operation ID</th>
            <th scope="col">Status</th>
            <th scope="col">Started</th>
            <th scope="col">Result</th>
          </tr>
        </thead>
        <tbody>
          {items.map((t) => (
            <OperationRow key={t.op.id} t={t} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One column of a ResourceTable: its header (also the cell's data-label) and its cell. */
export interface Column<T> {
  title: string;
  cell: (item: T) => ComponentChildren;
}

/**
 * A folder's resources as a table whose rows stack into labelled cards on narrow screens
 * (each cell's data-label); `empty` is shown as one row when there is nothing to list.
 */
export function ResourceTable<T extends { id: string }>(p: { caption: string; busy: boolean; items: readonly T[]; columns: readonly Column<T>[]; empty?: string }) {
  return (
    <div class="table-wrap">
      <table aria-busy={p.busy}>
        <caption>{p.caption}</caption>
        <thead>
          <tr>
            {p.columns.map((c) => (
              <th scope="col" key={c.title}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {p.items.map((item) => (
            <tr key={item.id}>
              {p.columns.map((c) => (
                <td data-label={c.title} key={c.title}>
                  {c.cell(item)}
                </td>
              ))}
            </tr>
          ))}
          {p.empty && p.items.length === 0 && !p.busy && (
            <tr>
              <td colSpan={p.columns.length}>{p.empty}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The operations of this session that are running or ended in the last minute, live. */
export function RecentOperations({ tracker }: { tracker: OperationTracker }) {
  const items = useTracked(tracker).slice(0, 5);
  if (items.length === 0) return null;
  return (
    <div class="recent" aria-live="polite">
      <OperationTable items={items} caption="Recent operations" />
    </div>
  );
}

export function LabelsTable({ labels }: { labels: Labels | undefined }) {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return <p>No labels.</p>;
  return (
    <table class="labels">
      <caption>Labels</caption>
      <thead>
        <tr>
          <th scope="col">Key</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <td>{k}</td>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
