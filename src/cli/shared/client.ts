/**
 * The one gRPC client of the client commands (`clouddesk iam`, `desktops`, `compute`, ...), built on our generated descriptors: unary calls by
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

/** Go's names of the gRPC codes, which yc prints: `code = NotFound`. */
const GO_CODE_NAMES = CODE_NAMES.map((n) => (n === 'CANCELLED' ? 'Canceled' : n.toLowerCase().replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())));

/** A failure of a client command. `code` is set when the server answered with a status. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(message: string, readonly status?: { code: number; details: string }) {
    super(message);
  }

  /** As yc prints it: `rpc error: code = NotFound desc = Image x not found`. */
  get ycMessage(): string {
    if (!this.status) return this.message;
    return `rpc error: code = ${GO_CODE_NAMES[this.status.code] ?? this.status.code} desc = ${this.status.details}`;
  }
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
          if (err) {
            const details = (err.details || err.message).replace(/\s+/g, ' ').trim();
            reject(new CliError(`${CODE_NAMES[err.code] ?? err.code}: ${details}`, { code: err.code, details }));
          }
          else resolve(out!);
        },
      );
    });
  }

  /**
   * Polls OperationService.Get until done (`onPoll` sees each state); throws when it ended
   * with an error. A timeout of 0 waits for as long as it takes.
   */
  async wait(op: Operation, timeoutMs = 60_000, onPoll?: (op: Operation) => void): Promise<Operation> {
    const deadline = Date.now() + timeoutMs;
    let cur = op;
    let delay = 100;
    while (!cur.done) {
      if (timeoutMs > 0 && Date.now() > deadline) throw new CliError(`operation ${op.id} is not done after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 1000);
      cur = await this.call(OperationService.method.get, { operationId: op.id });
      onPoll?.(cur);
    }
    if (cur.result.case === 'error') {
      const { code, message } = cur.result.value;
      throw new CliError(`operation ${cur.id} failed: ${CODE_NAMES[code] ?? code}: ${message}`, { code, details: message });
    }
    return cur;
  }

  close(): void {
    this.client.close();
  }
}
