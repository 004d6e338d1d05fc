/**
 * A small gRPC client for `clouddesk iam`, built on our generated descriptors: unary calls by
 * method descriptor, `authorization: Bearer` when a token is given, and waiting for
 * Operations. Errors come back as CliError with the server's code name and message.
 *
 *   const api = new ApiClient({ endpoint, token, tls: { ca } });
 *   const op = await api.call(FolderService.method.updateAccessBindings, { resourceId, accessBindingDeltas });
 *   await api.wait(op);
 */
import * as grpc from '@grpc/grpc-js';
import { create, fromBinary, toBinary, type DescMethodUnary, type DescMessage, type MessageInitShape, type MessageShape } from '@bufbuild/protobuf';
import { OperationService } from '../../gen/yandex/cloud/operation/operation_service_pb.js';
import type { Operation } from '../../gen/yandex/cloud/operation/operation_pb.js';
import { CODE_NAMES } from '../../transport/status.js';

export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface ClientOptions {
  endpoint: string;
  /** Bearer token; omitted for IamTokenService.Create. */
  token?: string;
  /** undefined: plaintext (h2c); otherwise TLS, with `ca` as the only trusted root when given. */
  tls?: { ca?: Buffer };
  deadlineMs?: number;
}

export class ApiClient {
  private readonly client: grpc.Client;

  constructor(private readonly opts: ClientOptions) {
    const creds = opts.tls ? grpc.credentials.createSsl(opts.tls.ca ?? null) : grpc.credentials.createInsecure();
    this.client = new grpc.Client(opts.endpoint, creds);
  }

  call<I extends DescMessage, O extends DescMessage>(method: DescMethodUnary<I, O>, request: MessageInitShape<I>): Promise<MessageShape<O>> {
    const md = new grpc.Metadata();
    if (this.opts.token) md.set('authorization', `Bearer ${this.opts.token}`);
    const path = `/${method.parent.typeName}/${method.name}`;
    const message = create(method.input, request);
    return new Promise((resolve, reject) => {
      this.client.makeUnaryRequest(
        path,
        (m: MessageShape<I>) => Buffer.from(toBinary(method.input, m)),
        (b: Buffer) => fromBinary(method.output, b),
        message,
        md,
        { deadline: Date.now() + (this.opts.deadlineMs ?? 30_000) },
        (err, out) => {
          if (err) reject(new CliError(`${CODE_NAMES[err.code] ?? err.code}: ${(err.details || err.message).replace(/\s+/g, ' ').trim()}`));
          else resolve(out!);
        },
      );
    });
  }

  /** Polls OperationService.Get until done; throws when it ended with an error. */
  async wait(op: Operation, timeoutMs = 60_000): Promise<Operation> {
    const deadline = Date.now() + timeoutMs;
    let cur = op;
    while (!cur.done) {
      if (Date.now() > deadline) throw new CliError(`operation ${op.id} is not done after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
      cur = await this.call(OperationService.method.get, { operationId: op.id });
    }
    if (cur.result.case === 'error') {
      throw new CliError(`operation ${cur.id} failed: ${CODE_NAMES[cur.result.value.code] ?? cur.result.value.code}: ${cur.result.value.message}`);
    }
    return cur;
  }

  close(): void {
    this.client.close();
  }
}
