/**
 * gRPC on the wire without a gRPC client: the 5-byte length prefix and a unary call over a raw
 * node:http2 session. The bench uses it for set-up, for the pre-flight check of every load target
 * and (in loadgen/h2-client.ts) as the fallback load generator, so that no grpc-js client sits
 * between the figures and the server.
 *
 *   const conn = new WireConnection('http://127.0.0.1:50051', { authorization: 'Bearer ...' });
 *   const image = await conn.call(DesktopImageService.method.get, { imageId });
 *   conn.close();
 */
import http2 from 'node:http2';
import { create, fromBinary, toBinary, type DescMethodUnary, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';

/** Wraps one protobuf message in a gRPC data frame: flag byte 0 (uncompressed) + big-endian length. */
export function grpcFrame(message: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + message.length);
  out.writeUInt8(0, 0);
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

/** The payload of the first frame of a gRPC response body. */
export function grpcUnframe(body: Buffer): Buffer {
  if (body.length < 5) throw new Error(`gRPC body of ${body.length} bytes has no frame`);
  if (body.readUInt8(0) !== 0) throw new Error('compressed gRPC frames are not expected');
  const len = body.readUInt32BE(1);
  if (body.length < 5 + len) throw new Error(`gRPC frame says ${len} bytes, body has ${body.length - 5}`);
  return body.subarray(5, 5 + len);
}

export function methodPath(method: DescMethodUnary): string {
  return `/${method.parent.typeName}/${method.name}`;
}

export interface WireResponse {
  /** grpc-status (from the trailers, or the headers of a trailers-only response). */
  readonly status: number;
  readonly message: string;
  /** Whole response body: zero or more gRPC frames. */
  readonly body: Buffer;
}

export class GrpcStatusError extends Error {
  constructor(readonly path: string, readonly status: number, readonly grpcMessage: string) {
    super(`${path}: grpc-status ${status} ${grpcMessage}`);
    this.name = 'GrpcStatusError';
  }
}

export class WireConnection {
  private readonly session: http2.ClientHttp2Session;
  private readonly authority: string;

  constructor(readonly url: string, private readonly headers: Record<string, string> = {}) {
    this.session = http2.connect(url);
    this.session.on('error', () => {}); // surfaced through the streams that fail
    this.authority = new URL(url).host;
  }

  /** Sends one pre-encoded request body (already framed) and collects the response. */
  raw(path: string, framedBody: Buffer): Promise<WireResponse> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({
        ':method': 'POST',
        ':path': path,
        ':authority': this.authority,
        'content-type': 'application/grpc',
        te: 'trailers',
        ...this.headers,
      });
      const chunks: Buffer[] = [];
      let status: number | undefined;
      let message = '';
      const take = (h: http2.IncomingHttpHeaders) => {
        if (h['grpc-status'] !== undefined) {
          status = Number(h['grpc-status']);
          message = decodeURIComponent(String(h['grpc-message'] ?? ''));
        }
      };
      stream.on('response', (h) => {
        if (h[':status'] !== 200) {
          reject(new Error(`${path}: HTTP ${h[':status']}`));
          stream.close();
          return;
        }
        take(h);
      });
      stream.on('trailers', take);
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', reject);
      stream.on('end', () => {
        if (status === undefined) reject(new Error(`${path}: response without grpc-status`));
        else resolve({ status, message, body: Buffer.concat(chunks) });
      });
      stream.end(framedBody);
    });
  }

  /** A typed unary call; a non-OK status throws GrpcStatusError. */
  async call<I extends DescMethodUnary>(
    method: I,
    request: MessageInitShape<I['input']>,
  ): Promise<MessageShape<I['output']>> {
    const path = methodPath(method);
    const body = grpcFrame(toBinary(method.input, create(method.input, request)));
    const res = await this.raw(path, body);
    if (res.status !== 0) throw new GrpcStatusError(path, res.status, res.message);
    return fromBinary(method.output, grpcUnframe(res.body)) as MessageShape<I['output']>;
  }

  close(): void {
    this.session.close();
  }
}
