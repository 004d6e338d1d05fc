/**
 * The emulator controls (`--emulator`), for test suites that run against clouddesk: under
 * `/_clouddesk/` on the API port, each call needing the bootstrap credential.
 *
 *   POST /_clouddesk/reset                      204: every resource, operation and audit event gone
 *   POST|GET|DELETE /_clouddesk/faults          inject, list, clear operation faults (faults.ts)
 *   GET|PUT /_clouddesk/state                   download, upload a state archive (state.ts)
 *
 * Reset and load stop running jobs first, then change the whole database in one step, remove
 * blobs nothing references, and let modules reload what they keep in memory (schedules,
 * system images). Embedded store only.
 *
 *   const emulator = emulatorModule({ store, blobs, collector, runner, bootstrap, dataDir, modules: () => modules });
 *   createHttpHandler({ ..., routes: [emulator.route] });
 */
import { bearerToken } from '../../api/authz/authenticate.js';
import type http from 'node:http';
import { ConfigError } from '../../config/parsers.js';
import { isStoreAdmin, type Store } from '../../domain/store.js';
import type { BlobStore } from '../../domain/blobs/blob-store.js';
import type { BlobCollector } from '../../domain/blobs/collector.js';
import type { OperationRunner } from '../../domain/operation/runner.js';
import { NotFoundError, UnauthenticatedError, UnimplementedError } from '../../domain/errors.js';
import type { BootstrapCredential } from '../../resources/iam-token/domain/authentication.js';
import type { Module } from '../../module.js';
import type { HttpRoute } from '../../transport/http-handler.js';
import { readJsonBody } from '../../transport/rest/body.js';
import { sendError, sendJson, type RequestIds } from '../../transport/rest/response.js';
import { loggers } from '../../logger.js';
import { Faults } from './faults.js';
import { StateArchive } from './state.js';

export interface EmulatorDeps {
  store: Store;
  blobs: BlobStore;
  collector: BlobCollector;
  runner: OperationRunner;
  bootstrap: BootstrapCredential;
  dataDir: string;
  /** Every module, to reload after a reset or a load. */
  modules: () => readonly Module[];
}

export interface EmulatorModule extends Module {
  readonly route: HttpRoute;
}

const PREFIX = '/_clouddesk/';
const FAULT_BODY_BYTES = 64 * 1024;

export function emulatorModule(d: EmulatorDeps): EmulatorModule {
  const { store } = d;
  if (!isStoreAdmin(store)) throw new ConfigError('--emulator: only with the embedded store (no --database)');
  const faults = new Faults();
  const state = new StateArchive(store, d.blobs, d.collector, d.dataDir);
  let queue: Promise<unknown> = Promise.resolve();

  /** Stops jobs, changes the whole database, then lets everything catch up with it. */
  const replaceAll = (change: () => Promise<void>): Promise<void> => {
    const run = async (): Promise<void> => {
      await d.runner.halt();
      await change();
      faults.clear();
      await d.collector.sweep();
      for (const m of d.modules()) await m.reset?.();
      await d.runner.recover(); // a loaded state's unfinished operations go on (or fail) as after a restart
    };
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, ids: RequestIds): Promise<void> => {
    const token = bearerToken(req.headers.authorization);
    if (!token || !d.bootstrap.matches(token)) throw new UnauthenticatedError('The emulator controls need the bootstrap credential');
    const what = `${req.method ?? 'GET'} ${(req.url ?? '').split('?')[0]!.slice(PREFIX.length - 1)}`;
    switch (what) {
      case 'POST /reset':
        await replaceAll(() => store.wipe());
        loggers.server.info('emulator: reset');
        res.writeHead(204).end();
        return;
      case 'POST /faults':
        return sendJson(res, 200, faults.add(await readJsonBody(req, FAULT_BODY_BYTES)), ids);
      case 'GET /faults':
        return sendJson(res, 200, { faults: faults.list() }, ids);
      case 'DELETE /faults':
        faults.clear();
        return sendJson(res, 200, { faults: [] }, ids);
      case 'GET /state':
        res.writeHead(200, { 'content-type': 'application/x-tar', 'content-disposition': 'attachment; filename="clouddesk-state.tar"' });
        await state.save(res);
        return;
      case 'PUT /state':
        await state.load(req, (file) => replaceAll(() => store.restore(file)));
        loggers.server.info('emulator: state loaded');
        res.writeHead(204).end();
        return;
      default:
        if (/^\S+ \/(reset|faults|state)$/.test(what)) throw new UnimplementedError(`${what}: method not allowed`);
        throw new NotFoundError(`${what}: no such emulator control`);
    }
  };

  return {
    name: 'emulator',
    interceptors: { context: faults.interceptor },
    seal(router) {
      faults.know(router.methods().map((m) => m.path));
      d.runner.injectFaults(faults);
    },
    route: {
      matches: (path) => path.startsWith(PREFIX),
      handle: async (req, res, ids) => {
        try {
          await handle(req, res, ids);
        } catch (err) {
          if (res.headersSent) {
            loggers.server.warn({ err }, 'emulator: state download failed');
            res.destroy();
            return;
          }
          sendError(res, err, ids);
        }
      },
    },
  };
}
