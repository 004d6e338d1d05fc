/**
 * What the bench puts into a fresh clouddesk before measuring: Compute images imported from the
 * local image source, and desktop images copied from them, all through the public gRPC API and
 * real operations.
 *
 *   const src = await importComputeImage(conn, { folderId: 'bench-src', name: 'src-1mib', uri });
 *   const ids = await copyDesktopImages(conn, src.id, 'bench', 150, 16);
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { Timestamp } from '@bufbuild/protobuf/wkt';
import { setTimeout as sleep } from 'node:timers/promises';
import { ImageService } from '../src/gen/yandex/cloud/compute/v1/image_service_pb.js';
import { ImageSchema, type Image } from '../src/gen/yandex/cloud/compute/v1/image_pb.js';
import { DesktopImageService } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { DesktopImage_Status, DesktopImageSchema, type DesktopImage } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import { OperationService } from '../src/gen/yandex/cloud/operation/operation_service_pb.js';
import type { Operation } from '../src/gen/yandex/cloud/operation/operation_pb.js';
import type { WireConnection } from './grpc-wire.js';

export interface WaitOptions {
  /** Between polls; with `backoff`, the longest wait (1, 2, 4 … ms up to it), as the SDK's waiter does. */
  pollMs: number;
  backoff?: boolean;
  timeoutMs: number;
  /** Hears every OperationService.Get made (the Copy bench counts them). */
  onPoll?: () => void;
}

/** Polls OperationService.Get until the operation is done; throws if it ended with an error. */
export async function waitOperation(conn: WireConnection, op: Operation, opts: WaitOptions): Promise<Operation> {
  const deadline = Date.now() + opts.timeoutMs;
  let cur = op;
  for (let wait = 1; !cur.done; wait = Math.min(opts.pollMs, wait * 2)) {
    if (Date.now() > deadline) throw new Error(`operation ${op.id} (${op.description}) not done after ${opts.timeoutMs} ms`);
    await sleep(opts.backoff ? wait : opts.pollMs);
    cur = await conn.call(OperationService.method.get, { operationId: op.id });
    opts.onPoll?.();
  }
  if (cur.result.case === 'error') throw new Error(`operation ${op.id} (${op.description}) failed: ${cur.result.value.message}`);
  return cur;
}

function responseOf<T>(op: Operation, decode: (bytes: Uint8Array) => T): T {
  if (op.result.case !== 'response') throw new Error(`operation ${op.id} has no response`);
  return decode(op.result.value.value);
}

export async function importComputeImage(
  conn: WireConnection,
  req: { folderId: string; name: string; uri: string },
  timeoutMs: number,
): Promise<Image> {
  const op = await conn.call(ImageService.method.create, {
    folderId: req.folderId,
    name: req.name,
    source: { case: 'uri', value: req.uri },
  });
  const done = await waitOperation(conn, op, { pollMs: 50, timeoutMs });
  return responseOf(done, (b) => fromBinary(ImageSchema, b));
}

/**
 * Copies `count` desktop images named img-0000... with `parallel` Copies in flight, each followed
 * until done (every 10 ms unless `wait` says otherwise) and checked: the image asked for, ACTIVE.
 */
export async function copyDesktopImages(
  conn: WireConnection,
  computeImageId: string,
  folderId: string,
  count: number,
  parallel: number,
  wait: Partial<WaitOptions> = {},
): Promise<DesktopImage[]> {
  const out: DesktopImage[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const name = `img-${String(i).padStart(4, '0')}`;
      const op = await conn.call(DesktopImageService.method.copy, { folderId, name, imageId: computeImageId });
      const done = await waitOperation(conn, op, { pollMs: 10, timeoutMs: 60_000, ...wait });
      const image = responseOf(done, (b) => fromBinary(DesktopImageSchema, b));
      if (image.name !== name || image.folderId !== folderId || image.status !== DesktopImage_Status.ACTIVE) {
        throw new Error(`Copy ${op.id} answered ${image.folderId}/${image.name} in status ${image.status}, not ${folderId}/${name} ACTIVE`);
      }
      out[i] = image;
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return out;
}

export function timestampMs(t: Timestamp | undefined): number {
  if (!t) return NaN;
  return Number(t.seconds) * 1000 + t.nanos / 1e6;
}

export interface CopyTiming {
  /** Copy call sent → the client sees done=true (polling OperationService.Get every pollMs). */
  readonly clientMs: number;
  /** Operation created_at → modified_at of the done operation, by the server's clock. */
  readonly serverMs: number;
  /** The Copy RPC itself (until the Operation came back). */
  readonly rpcMs: number;
  readonly image: DesktopImage;
}

export async function timeCopy(
  conn: WireConnection,
  req: { computeImageId: string; folderId: string; name: string },
  pollMs: number,
): Promise<CopyTiming> {
  const t0 = performance.now();
  const op = await conn.call(DesktopImageService.method.copy, { folderId: req.folderId, name: req.name, imageId: req.computeImageId });
  const t1 = performance.now();
  const done = await waitOperation(conn, op, { pollMs, timeoutMs: 120_000 });
  const t2 = performance.now();
  return {
    clientMs: t2 - t0,
    serverMs: timestampMs(done.modifiedAt) - timestampMs(op.createdAt),
    rpcMs: t1 - t0,
    image: responseOf(done, (b) => fromBinary(DesktopImageSchema, b)),
  };
}
