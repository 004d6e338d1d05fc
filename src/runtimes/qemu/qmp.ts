/**
 * One QMP command over QEMU's control socket: connect, read the greeting, leave capabilities
 * negotiation, run the command, close. A connection per command keeps no state to repair when
 * the machine dies between two commands (QEMU accepts one client at a time, and the next later).
 *
 *   await qmp(socketPath, 'system_powerdown');
 *   const status = await qmp(socketPath, 'query-status');    // { status: 'running', ... }
 *
 * Events are read on a second monitor held open for the machine's life (`qmpEvents`).
 */
import { createConnection, type Socket } from 'node:net';

export class QmpError extends Error {
  override readonly name = 'QmpError';
}

export function qmp(socketPath: string, command: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let stage: 'greeting' | 'capabilities' | 'command' = 'greeting';
    const timer = setTimeout(() => fail(new QmpError(`QMP ${command}: no answer in ${timeoutMs} ms`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.setEncoding('utf8');
    socket.on('error', (err) => fail(new QmpError(`QMP ${command}: ${err.message}`)));
    socket.on('close', () => fail(new QmpError(`QMP ${command}: connection closed`)));
    onLines(socket, (line) => {
      const msg = JSON.parse(line) as Record<string, unknown>;
      if ('event' in msg) return; // asynchronous events are not answers
      if (stage === 'greeting') {
        stage = 'capabilities';
        socket.write('{"execute":"qmp_capabilities"}\n');
      } else if ('error' in msg) {
        fail(new QmpError(`QMP ${command}: ${JSON.stringify(msg['error'])}`));
      } else if (stage === 'capabilities') {
        stage = 'command';
        socket.write(`${JSON.stringify({ execute: command })}\n`);
      } else {
        clearTimeout(timer);
        socket.removeAllListeners('close');
        socket.end();
        resolve((msg['return'] ?? {}) as Record<string, unknown>);
      }
    });
  });
}

/**
 * QMP's asynchronous events (SHUTDOWN, RESET...) from a monitor of their own, held for the
 * machine's life: connects as soon as QEMU listens (retrying until `gone` resolves), leaves
 * capabilities negotiation, and hands each event to `onEvent`. Resolves when QEMU closes the
 * connection (it exited: every event it sent was read before), or when it never connected.
 *
 *   const closed = qmpEvents(join(dir, 'events.sock'), proc.exited, (event, data) => ...);
 */
export function qmpEvents(socketPath: string, gone: Promise<unknown>, onEvent: (event: string, data: Record<string, unknown>) => void): Promise<void> {
  let over = false;
  void gone.then(() => (over = true));
  return new Promise((resolve) => {
    const attempt = () => {
      const socket = createConnection(socketPath);
      let connected = false;
      socket.setEncoding('utf8');
      socket.on('connect', () => (connected = true));
      socket.on('error', () => undefined); // not listening yet, or gone: 'close' follows
      socket.on('close', () => {
        if (connected || over) resolve();
        else setTimeout(attempt, 50);
      });
      onLines(socket, (line) => {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return;
        }
        if ('QMP' in msg) socket.write('{"execute":"qmp_capabilities"}\n'); // the greeting: events flow after this
        else if (typeof msg['event'] === 'string') onEvent(msg['event'], (msg['data'] ?? {}) as Record<string, unknown>);
      });
    };
    attempt();
  });
}

/** Each non-empty line (trimmed) QEMU writes on the monitor: QMP sends one JSON object a line. */
function onLines(socket: Socket, onLine: (line: string) => void): void {
  let buffered = '';
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl).trim();
      buffered = buffered.slice(nl + 1);
      if (line) onLine(line);
    }
  });
}
