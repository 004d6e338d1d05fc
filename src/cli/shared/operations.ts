/**
 * How a command that starts an Operation ends, as in yc: with `--async` it prints the
 * Operation and returns; otherwise it waits, showing a live progress line on stderr when that
 * is a terminal (never in a pipe or a log), and prints the resource the Operation returned.
 *
 *   await finish(ctx, await ctx.api.call(DesktopImageService.method.copy, req), opts);
 */
import { anyUnpack } from '@bufbuild/protobuf/wkt';
import { OperationSchema, type Operation } from '../../gen/yandex/cloud/operation/operation_pb.js';
import type { Ctx } from './action.js';
import { REGISTRY } from './output.js';

export interface AsyncOpts {
  async?: boolean;
}

export async function finish(ctx: Ctx, op: Operation, opts: AsyncOpts): Promise<void> {
  if (opts.async) {
    ctx.out.one(OperationSchema, op);
    return;
  }
  const done = await waitWithProgress(ctx, op);
  printResponse(ctx, done);
}

export async function waitWithProgress(ctx: Ctx, op: Operation): Promise<Operation> {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  const show = (state: string, end = '') => {
    if (tty) process.stderr.write(`\r\x1b[K${op.description || 'operation'} ${op.id}: ${state} (${Math.round((Date.now() - started) / 1000)}s)${end}`);
  };
  show('running');
  const ticker = tty ? setInterval(() => show('running'), 1000) : undefined;
  try {
    const done = await ctx.api.wait(op, 0);
    show('done', '\n');
    return done;
  } catch (err) {
    show('failed', '\n');
    throw err;
  } finally {
    if (ticker) clearInterval(ticker);
  }
}

/** The response of a finished Operation; nothing for google.protobuf.Empty (a delete), as yc. */
export function printResponse(ctx: Ctx, op: Operation): void {
  if (op.result.case !== 'response') return;
  const message = anyUnpack(op.result.value, REGISTRY);
  if (!message || message.$typeName === 'google.protobuf.Empty') return;
  const schema = REGISTRY.getMessage(message.$typeName);
  if (schema) ctx.out.one(schema, message as never);
}
