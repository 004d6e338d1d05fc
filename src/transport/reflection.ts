/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha), so that grpcurl, Postman and other
 * tools can list the services and describe them without the .proto files. It serves the
 * FileDescriptorProtos that protobuf-es embeds in src/gen, for every given service and every
 * file it depends on (the well-known types included).
 *
 *   addReflectionService(grpcServer, [...router.services(), health.service]);   // + itself
 *   // grpcurl -plaintext 127.0.0.1:50051 list
 *   // grpcurl -plaintext 127.0.0.1:50051 describe yandex.cloud.operation.OperationService
 *
 * ServerReflectionInfo is a bidirectional stream, which the unary Router does not carry, so it
 * is added to the grpc-js server directly. Both versions share one wire shape, so both paths are
 * served with the v1 messages; the v1alpha descriptors are still indexed for `describe`.
 */
import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescFile, DescMessage, DescService } from '@bufbuild/protobuf';
import { FileDescriptorProtoSchema } from '@bufbuild/protobuf/wkt';
import {
  ErrorResponseSchema,
  ExtensionNumberResponseSchema,
  FileDescriptorResponseSchema,
  ListServiceResponseSchema,
  ServerReflection as ReflectionV1,
  ServerReflectionRequestSchema as RequestSchema,
  ServerReflectionResponseSchema as ResponseSchema,
  type ServerReflectionRequest,
  type ServerReflectionResponse,
} from '../gen/grpc/reflection/v1/reflection_pb.js';
import { ServerReflection as ReflectionV1alpha } from '../gen/grpc/reflection/v1alpha/reflection_pb.js';

type Answer = ServerReflectionResponse['messageResponse'];

/** The services addReflectionService adds, e.g. for health to answer for them too. */
export const reflectionServices: readonly DescService[] = [ReflectionV1, ReflectionV1alpha];

/** Every file reachable from the services, and where each symbol and extension is declared. */
export class DescriptorIndex {
  private readonly files = new Map<string, DescFile>();
  private readonly symbols = new Map<string, DescFile>();
  private readonly messages = new Map<string, DescMessage>();
  /** extendee type name → extension number → declaring file */
  private readonly extensions = new Map<string, Map<number, DescFile>>();
  private readonly bytes = new Map<DescFile, Uint8Array>();
  readonly serviceNames: string[];

  constructor(services: readonly DescService[]) {
    this.serviceNames = [...new Set(services.map((s) => s.typeName))];
    for (const s of services) this.addFile(s.file);
  }

  fileByName(name: string): DescFile | undefined {
    return this.files.get(name);
  }

  /** A message, enum, enum value, field, oneof, service, method or extension, with or without a leading dot. */
  fileBySymbol(symbol: string): DescFile | undefined {
    return this.symbols.get(symbol.replace(/^\./, ''));
  }

  fileByExtension(typeName: string, number: number): DescFile | undefined {
    return this.extensions.get(typeName.replace(/^\./, ''))?.get(number);
  }

  /** The known extension numbers of a message type, or undefined when the type is unknown. */
  extensionNumbers(typeName: string): number[] | undefined {
    const name = typeName.replace(/^\./, '');
    if (!this.messages.has(name)) return undefined;
    return [...(this.extensions.get(name)?.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The file's serialized descriptor, then those of its transitive dependencies not in `sent`. */
  withDependencies(file: DescFile, sent: Set<string>): Uint8Array[] {
    const out: Uint8Array[] = [];
    const visit = (f: DescFile, requested: boolean): void => {
      const name = f.proto.name;
      if (!requested && sent.has(name)) return;
      sent.add(name);
      let b = this.bytes.get(f);
      if (!b) this.bytes.set(f, (b = toBinary(FileDescriptorProtoSchema, f.proto)));
      out.push(b);
      for (const dep of f.dependencies) visit(dep, false);
    };
    visit(file, true);
    return out;
  }

  private addFile(file: DescFile): void {
    if (this.files.has(file.proto.name)) return;
    this.files.set(file.proto.name, file);
    const add = (name: string): void => void this.symbols.set(name, file);
    const scope = file.proto.package ? `${file.proto.package}.` : '';
    const addEnum = (e: DescFile['enums'][number], parent: string): void => {
      add(e.typeName);
      // Enum values are scoped like siblings of their enum, as in protoc's symbol table.
      for (const v of e.values) add(`${parent}${v.name}`);
    };
    const addExtension = (x: DescFile['extensions'][number]): void => {
      add(x.typeName);
      const byNumber = this.extensions.get(x.extendee.typeName) ?? new Map<number, DescFile>();
      byNumber.set(x.number, file);
      this.extensions.set(x.extendee.typeName, byNumber);
    };
    const addMessage = (m: DescMessage): void => {
      add(m.typeName);
      this.messages.set(m.typeName, m);
      for (const f of m.fields) add(`${m.typeName}.${f.name}`);
      for (const o of m.oneofs) add(`${m.typeName}.${o.name}`);
      for (const e of m.nestedEnums) addEnum(e, `${m.typeName}.`);
      for (const x of m.nestedExtensions) addExtension(x);
      for (const n of m.nestedMessages) addMessage(n);
    };
    for (const m of file.messages) addMessage(m);
    for (const e of file.enums) addEnum(e, scope);
    for (const x of file.extensions) addExtension(x);
    for (const s of file.services) {
      add(s.typeName);
      for (const m of s.methods) add(`${s.typeName}.${m.name}`);
    }
    for (const dep of file.dependencies) this.addFile(dep);
  }
}

/** Answers one reflection request; `sent` holds the files already sent on this stream. */
export function answer(index: DescriptorIndex, req: ServerReflectionRequest, sent: Set<string>): Answer {
  const files = (file: DescFile | undefined, what: string): Answer =>
    file
      ? { case: 'fileDescriptorResponse', value: create(FileDescriptorResponseSchema, { fileDescriptorProto: index.withDependencies(file, sent) }) }
      : error(grpc.status.NOT_FOUND, `${what} not found`);
  const r = req.messageRequest;
  switch (r.case) {
    case 'fileByFilename':
      return files(index.fileByName(r.value), `File ${r.value}`);
    case 'fileContainingSymbol':
      return files(index.fileBySymbol(r.value), `Symbol ${r.value}`);
    case 'fileContainingExtension':
      return files(index.fileByExtension(r.value.containingType, r.value.extensionNumber),
        `Extension ${r.value.extensionNumber} of ${r.value.containingType}`);
    case 'allExtensionNumbersOfType': {
      const numbers = index.extensionNumbers(r.value);
      if (!numbers) return error(grpc.status.NOT_FOUND, `Type ${r.value} not found`);
      return {
        case: 'allExtensionNumbersResponse',
        value: create(ExtensionNumberResponseSchema, { baseTypeName: r.value.replace(/^\./, ''), extensionNumber: numbers }),
      };
    }
    case 'listServices':
      return {
        case: 'listServicesResponse',
        value: create(ListServiceResponseSchema, { service: index.serviceNames.map((name) => ({ name })) }),
      };
    default:
      return error(grpc.status.INVALID_ARGUMENT, 'Request has no message_request set');
  }
}

function error(code: grpc.status, message: string): Answer {
  return { case: 'errorResponse', value: create(ErrorResponseSchema, { errorCode: code, errorMessage: message }) };
}

/** Adds ServerReflection v1 and v1alpha to `server`, describing `services` and themselves. */
export function addReflectionService(server: grpc.Server, services: readonly DescService[]): DescriptorIndex {
  const index = new DescriptorIndex([...services, ...reflectionServices]);
  const handler: grpc.handleBidiStreamingCall<ServerReflectionRequest, ServerReflectionResponse> = (call) => {
    const sent = new Set<string>();
    call.on('data', (req: ServerReflectionRequest) => {
      call.write(create(ResponseSchema, { validHost: req.host, originalRequest: req, messageResponse: answer(index, req, sent) }));
    });
    call.on('end', () => call.end());
    call.on('error', () => undefined); // the client went away; nothing to clean up
  };
  for (const service of reflectionServices) {
    const method = service.methods[0]!;
    const definition: grpc.MethodDefinition<ServerReflectionRequest, ServerReflectionResponse> = {
      path: `/${service.typeName}/${method.name}`,
      requestStream: true,
      responseStream: true,
      originalName: method.localName,
      requestSerialize: (m) => Buffer.from(toBinary(RequestSchema, m)),
      requestDeserialize: (b) => fromBinary(RequestSchema, b),
      responseSerialize: (m) => Buffer.from(toBinary(ResponseSchema, m)),
      responseDeserialize: (b) => fromBinary(ResponseSchema, b),
    };
    server.addService({ [method.name]: definition } as grpc.ServiceDefinition, { [method.name]: handler });
  }
  return index;
}
