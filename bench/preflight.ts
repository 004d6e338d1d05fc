/**
 * Checks each load target once before it is loaded: h2load and wrk count HTTP answers, not
 * gRPC statuses or bodies, so a target that answers UNAUTHENTICATED or an empty page would
 * otherwise look fast. The REST check also decides whether REST is measured at all.
 *
 *   const sizes = await grpcPreflight(origin, targets, expectedId);
 *   const rest = await restPreflight(urls, expectedId, headers);   // { available, note }
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  DesktopImageService,
  GetDesktopImageRequestSchema,
  ListDesktopImagesRequestSchema,
  ListDesktopImagesResponseSchema,
} from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { DesktopImageSchema } from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import { grpcFrame, grpcUnframe, methodPath, WireConnection } from './grpc-wire.js';

export interface GrpcTargets {
  readonly paths: { get: string; list: string };
  /** Framed request bodies, exactly what the load generator sends. */
  readonly bodies: { get: Buffer; list: Buffer };
}

/** The loads of every bench: Get of one image, and List of its folder (page of 100). */
export function imageGrpcTargets(imageId: string, folderId: string): GrpcTargets {
  return {
    paths: { get: methodPath(DesktopImageService.method.get), list: methodPath(DesktopImageService.method.list) },
    bodies: {
      get: grpcFrame(toBinary(GetDesktopImageRequestSchema, create(GetDesktopImageRequestSchema, { imageId }))),
      list: grpcFrame(toBinary(ListDesktopImagesRequestSchema, create(ListDesktopImagesRequestSchema, { folderId, pageSize: 100n }))),
    },
  };
}

/** The same two loads over REST. */
export function imageRestUrls(origin: string, imageId: string, folderId: string): { get: string; list: string } {
  return {
    get: `${origin}/cloud-desktop/v1/images/${imageId}`,
    list: `${origin}/cloud-desktop/v1/images?folderId=${folderId}&pageSize=100`,
  };
}

/** Sends the Get and List bodies once; returns the response sizes in protobuf bytes. */
export async function grpcPreflight(
  name: string,
  origin: string,
  headers: Record<string, string>,
  t: GrpcTargets,
  expectedId: string | undefined,
): Promise<{ get: number; list: number }> {
  const c = new WireConnection(origin, headers);
  try {
    const g = await c.raw(t.paths.get, t.bodies.get);
    if (g.status !== 0) throw new Error(`${name} Get: grpc-status ${g.status} ${g.message}`);
    const image = fromBinary(DesktopImageSchema, grpcUnframe(g.body));
    if (expectedId !== undefined && image.id !== expectedId) throw new Error(`${name} Get returned ${image.id}, not ${expectedId}`);
    const l = await c.raw(t.paths.list, t.bodies.list);
    if (l.status !== 0) throw new Error(`${name} List: grpc-status ${l.status} ${l.message}`);
    const page = fromBinary(ListDesktopImagesResponseSchema, grpcUnframe(l.body));
    if (page.desktopImages.length !== 100 || page.nextPageToken === '') {
      throw new Error(`${name} List: ${page.desktopImages.length} images, next_page_token "${page.nextPageToken}"`);
    }
    return { get: grpcUnframe(g.body).length, list: grpcUnframe(l.body).length };
  } finally {
    c.close();
  }
}

/** A 404 (no route yet) or anything unexpected means "REST not available", with the reason. */
export async function restPreflight(
  urls: { get: string; list: string },
  expectedId: string | undefined,
  headers: Record<string, string>,
): Promise<{ available: boolean; note: string }> {
  try {
    const g = await fetch(urls.get, { headers });
    const gText = await g.text();
    const getPath = new URL(urls.get).pathname;
    if (g.status !== 200) return { available: false, note: `GET ${getPath} answered HTTP ${g.status}: ${gText.slice(0, 200)}` };
    const image = JSON.parse(gText) as { id?: string };
    if (expectedId === undefined ? !image.id : image.id !== expectedId) return { available: false, note: `GET ${getPath} returned ${gText.slice(0, 200)}` };
    const l = await fetch(urls.list, { headers });
    const lText = await l.text();
    if (l.status !== 200) return { available: false, note: `List answered HTTP ${l.status}: ${lText.slice(0, 200)}` };
    const page = JSON.parse(lText) as { desktopImages?: unknown[] };
    if (page.desktopImages?.length !== 100) return { available: false, note: `List returned ${page.desktopImages?.length ?? 'no'} images` };
    return { available: true, note: `Get ${gText.length} bytes, List ${lText.length} bytes of JSON` };
  } catch (err) {
    return { available: false, note: `request failed: ${(err as Error).message}` };
  }
}
