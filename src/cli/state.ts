/**
 * `clouddesk state save FILE` / `clouddesk state load FILE`: a running emulator's whole state
 * (database and the blobs it references, as one tar archive) to a local file and back, over the
 * server's HTTP side (`/_clouddesk/state`) with the usual connection flags. The server must run
 * with `--emulator` and the embedded store; the token must be the bootstrap credential.
 *
 *   clouddesk state save ./fixture.tar --endpoint 127.0.0.1:50051 --insecure
 *   clouddesk state load ./fixture.tar
 */
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { Command } from 'commander';
import { local } from './shared/action.js';
import { CliError } from './shared/client.js';
import { settingsOf, type Settings } from './shared/globals.js';

function request(s: Settings, method: 'GET' | 'PUT', headers: Record<string, string | number> = {}): http.ClientRequest {
  if (!s.token) throw new CliError('no credential: the emulator controls need the bootstrap credential (--token or CLOUDDESK_TOKEN)');
  if (s.insecure && s.caFile) throw new CliError('--insecure and --ca-file exclude each other');
  const url = `${s.insecure ? 'http' : 'https'}://${s.endpoint}/_clouddesk/state`;
  const opts = { method, headers: { authorization: `Bearer ${s.token}`, ...headers }, ...(s.caFile ? { ca: readFileSync(s.caFile) } : {}) };
  return s.insecure ? http.request(url, opts) : https.request(url, opts);
}

function response(req: http.ClientRequest): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    req.once('response', resolve).once('error', (err) => reject(new CliError(`cannot reach the server: ${err.message}`)));
  });
}

/** Throws the server's error (google.rpc.Status JSON) for a non-2xx answer. */
async function check(res: http.IncomingMessage): Promise<void> {
  if (res.statusCode !== undefined && res.statusCode < 300) return;
  let text = '';
  for await (const chunk of res) text += String(chunk);
  let message = text.trim();
  try {
    message = (JSON.parse(text) as { message?: string }).message ?? message;
  } catch {
    // not JSON: the text as it is
  }
  const hint = res.statusCode === 404 ? ' (is the server running with --emulator?)' : '';
  throw new CliError(`HTTP ${res.statusCode}: ${message}${hint}`);
}

export function stateCommand(): Command {
  const state = new Command('state').description('Save or load the whole state of a running emulator (clouddesk serve --emulator)');
  state.command('save <FILE>').description('Download a consistent snapshot (database and blobs) into FILE')
    .action(local<object>(async (args, _o, cmd) => {
      const file = args[0]!;
      const req = request(settingsOf(cmd), 'GET');
      req.end();
      const res = await response(req);
      await check(res);
      const part = `${file}.part`;
      try {
        await pipeline(res, createWriteStream(part, { mode: 0o600 }));
        await rename(part, file);
      } catch (err) {
        await rm(part, { force: true });
        throw new CliError(`could not save the state: ${(err as Error).message}`);
      }
      process.stdout.write(`saved ${(await stat(file)).size} bytes to ${file}\n`);
    }));
  state.command('load <FILE>').description('Upload a snapshot from FILE; the server serves it at once')
    .action(local<object>(async (args, _o, cmd) => {
      const file = args[0]!;
      const size = (await stat(file).catch(() => { throw new CliError(`cannot read ${file}`); })).size;
      const req = request(settingsOf(cmd), 'PUT', { 'content-type': 'application/x-tar', 'content-length': size });
      const answered = response(req);
      await Promise.all([pipeline(createReadStream(file), req).catch(() => undefined), answered.then(check)]);
      process.stdout.write(`loaded ${file}\n`);
    }));
  return state;
}
