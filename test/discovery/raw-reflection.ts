/**
 * A bare gRPC reflection client over @grpc/grpc-js with the protobuf-es messages, for what the
 * npm reflection client cannot do (extension numbers; descriptors with their options intact),
 * and to see the server's contract exactly as a tool sees it.
 *
 *   const [res] = await reflect(server.address, [{ messageRequest: { case: 'listServices', value: '' } }]);
 *   const registry = await servedRegistry(server.address);   // every served file, options intact
 *   registry.getService('yandex.cloud.operation.OperationService')
 */
import * as grpc from '@grpc/grpc-js';
import { create, createFileRegistry, fromBinary, toBinary, type FileRegistry, type MessageInitShape } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type FileDescriptorProto } from '@bufbuild/protobuf/wkt';
import {
  ServerReflectionRequestSchema as RequestSchema,
  ServerReflectionResponseSchema as ResponseSchema,
  type ServerReflectionResponse,
} from '../../src/gen/grpc/reflection/v1/reflection_pb.js';

export type ReflectionRequest = MessageInitShape<typeof RequestSchema>;

/** Sends `requests` on one stream (v1 or v1alpha path) and collects the responses in order. */
export function reflect(address: string, requests: ReflectionRequest[], version: 'v1' | 'v1alpha' = 'v1'): Promise<ServerReflectionResponse[]> {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const call = client.makeBidiStreamRequest(
    `/grpc.reflection.${version}.ServerReflection/ServerReflectionInfo`,
    (m: ReflectionRequest) => Buffer.from(toBinary(RequestSchema, create(RequestSchema, m))),
    (b: Buffer) => fromBinary(ResponseSchema, b),
  );
  const out: ServerReflectionResponse[] = [];
  return new Promise((resolve, reject) => {
    call.on('data', (r: ServerReflectionResponse) => out.push(r));
    call.on('error', (e) => {
      client.close();
      reject(e);
    });
    call.on('end', () => {
      client.close();
      resolve(out);
    });
    for (const r of requests) call.write(r);
    call.end();
  });
}

export function filesOf(res: ServerReflectionResponse): FileDescriptorProto[] {
  if (res.messageResponse.case !== 'fileDescriptorResponse') {
    throw new Error(`expected files, got ${res.messageResponse.case}: ${JSON.stringify(res.messageResponse.value)}`);
  }
  return res.messageResponse.value.fileDescriptorProto.map((b) => fromBinary(FileDescriptorProtoSchema, b));
}

export async function listServices(address: string, version: 'v1' | 'v1alpha' = 'v1'): Promise<string[]> {
  const [res] = await reflect(address, [{ messageRequest: { case: 'listServices', value: '*' } }], version);
  if (res?.messageResponse.case !== 'listServicesResponse') throw new Error('no list_services_response');
  return res.messageResponse.value.service.map((s) => s.name);
}

/** A registry of every file the server describes, built from the reflection answers alone. */
export async function servedRegistry(address: string): Promise<FileRegistry> {
  const names = await listServices(address);
  const answers = await reflect(address, names.map((value) => ({ messageRequest: { case: 'fileContainingSymbol', value } })));
  const files = new Map<string, FileDescriptorProto>();
  for (const a of answers) for (const f of filesOf(a)) files.set(f.name, f);
  // createFileRegistry wants each file after its dependencies.
  const ordered: FileDescriptorProto[] = [];
  const visit = (name: string): void => {
    const f = files.get(name);
    if (!f || ordered.includes(f)) return;
    f.dependency.forEach(visit);
    ordered.push(f);
  };
  [...files.keys()].forEach(visit);
  return createFileRegistry(create(FileDescriptorSetSchema, { file: ordered }));
}
