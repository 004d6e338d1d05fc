/**
 * The transport's ceiling: a minimal @grpc/grpc-js server, in its own process, that serves
 * DesktopImageService.Get with one constant DesktopImage and List with one constant page of 100
 * images. Requests are decoded with the same protobuf-es schemas clouddesk uses; responses are
 * encoded once at start-up, so what is left per call is grpc-js itself (HTTP/2, framing,
 * metadata, the unary call machinery). The images have the shape of the ones the bench copies
 * into clouddesk (same field set and lengths), so both servers send near-identical bytes.
 *
 * The REST ceiling is a bare node:http server in the same process, on its own port: it answers
 * `GET /cloud-desktop/v1/images/{id}` and `GET /cloud-desktop/v1/images?...` with the proto3
 * JSON of the same constant image and page, serialised once at start-up. What is left per
 * request is node:http itself (parsing, keep-alive, headers).
 *
 *   node dist/bench/ceiling-server.js   # prints {"port":N,"restPort":M} and serves on 127.0.0.1
 */
import http from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary, toJsonString, type Message } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  DesktopImage_Status,
  DesktopImageSchema,
  type DesktopImage,
} from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import {
  DesktopImageService,
  ListDesktopImagesResponseSchema,
} from '../src/gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { methodPath } from './grpc-wire.js';

function image(i: number): DesktopImage {
  return create(DesktopImageSchema, {
    id: `e3vceiling${String(i).padStart(10, '0')}`,
    folderId: 'bench',
    createdAt: timestampFromDate(new Date('2025-01-01T00:00:00.123Z')),
    status: DesktopImage_Status.ACTIVE,
    name: `img-${String(i).padStart(4, '0')}`,
    storageSize: 1048576n,
    minDiskSize: 1048576n,
  });
}

const page = create(ListDesktopImagesResponseSchema, {
  desktopImages: Array.from({ length: 100 }, (_, i) => image(i)),
  nextPageToken: 'AAAAAAAAAAAAAAAAAAAAAA', // 22 characters, like a clouddesk page token
});
const getBytes = Buffer.from(toBinary(DesktopImageSchema, image(0)));
const listBytes = Buffer.from(toBinary(ListDesktopImagesResponseSchema, page));
const getJson = Buffer.from(toJsonString(DesktopImageSchema, image(0)));
const listJson = Buffer.from(toJsonString(ListDesktopImagesResponseSchema, page));

function unary(method: typeof DesktopImageService.method.get | typeof DesktopImageService.method.list, response: Buffer) {
  const definition: grpc.MethodDefinition<Message, Buffer> = {
    path: methodPath(method),
    requestStream: false,
    responseStream: false,
    requestSerialize: (msg: Message) => Buffer.from(toBinary(method.input, msg as never)),
    requestDeserialize: (buf: Buffer) => fromBinary(method.input, buf),
    responseSerialize: (bytes: Buffer) => bytes,
    responseDeserialize: (buf: Buffer) => buf,
  };
  const handler: grpc.handleUnaryCall<Message, Buffer> = (_call, callback) => callback(null, response);
  return { definition, handler };
}

const get = unary(DesktopImageService.method.get, getBytes);
const list = unary(DesktopImageService.method.list, listBytes);
const server = new grpc.Server();
server.addService({ Get: get.definition, List: list.definition } as grpc.ServiceDefinition, {
  Get: get.handler,
  List: list.handler,
} as grpc.UntypedServiceImplementation);

const rest = http.createServer((req, res) => {
  const body = req.url?.startsWith('/cloud-desktop/v1/images?') ? listJson : getJson;
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.end(body);
});

server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  rest.listen(0, '127.0.0.1', () => {
    const restPort = (rest.address() as { port: number }).port;
    process.stdout.write(`${JSON.stringify({ port, restPort, getBytes: getBytes.length, listBytes: listBytes.length })}\n`);
  });
});

const stop = () => {
  rest.close();
  server.tryShutdown(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
