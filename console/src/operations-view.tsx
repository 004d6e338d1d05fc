/** The operations this session started, live, and a lookup of any operation by its ID. */
import { useState } from 'preact/hooks';
import type { Operation } from './api';
import type { Session } from './session';
import { ErrorBox, Field, OperationTable, Section, useAction, useTracked } from './ui';

export function OperationsView({ session }: { session: Session }) {
  const items = useTracked(session.tracker);
  const [id, setId] = useState('');
  const [found, setFound] = useState<Operation | null>(null);
  const { busy, error, run } = useAction();
  return (
    <>
      <Section title="Look up an operation">
        <form
          class="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            setFound(null);
            void run(async () => setFound(await session.api.get<Operation>(`/operations/${encodeURIComponent(id.trim())}`)));
          }}
        >
          <Field label="Operation ID" value={id} onInput={setId} required />
          <button type="submit" disabled={busy}>
            Look up
          </button>
        </form>
        <ErrorBox error={error} />
        {found && (
          <>
            <OperationTable items={[{ label: found.description ?? '', op: found }]} caption={`Operation ${found.id}`} />
            <pre class="json" tabIndex={0} aria-label="Operation JSON">
              {JSON.stringify(found, null, 2)}
            </pre>
          </>
        )}
      </Section>
      <Section title="Operations of this session">
        {items.length === 0 ? <p>No operations started in this session yet.</p> : <OperationTable items={items} caption="Operations started in this session" />}
      </Section>
    </>
  );
}
