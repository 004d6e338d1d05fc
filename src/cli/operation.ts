/**
 * `clouddesk operation get|wait|cancel`, as yc's: each prints the Operation.
 *
 *   clouddesk operation wait dcl8ab...     # until done; exit 1 when it failed
 */
import { Command } from 'commander';
import { OperationService } from '../gen/yandex/cloud/operation/operation_service_pb.js';
import { OperationSchema } from '../gen/yandex/cloud/operation/operation_pb.js';
import { action } from './shared/action.js';
import { waitWithProgress } from './shared/operations.js';

export function operationCommand(): Command {
  const operation = new Command('operation').description('Follow and cancel long-running operations');
  operation.command('get <OPERATION-ID>').description('Show an operation')
    .action(action(async (ctx, [operationId]) => {
      ctx.out.one(OperationSchema, await ctx.api.call(OperationService.method.get, { operationId: operationId! }));
    }));
  operation.command('wait <OPERATION-ID>').description('Wait until an operation is done and show it')
    .action(action(async (ctx, [operationId]) => {
      const op = await ctx.api.call(OperationService.method.get, { operationId: operationId! });
      ctx.out.one(OperationSchema, await waitWithProgress(ctx, op));
    }));
  operation.command('cancel <OPERATION-ID>').description('Cancel an operation that is not done yet')
    .action(action(async (ctx, [operationId]) => {
      ctx.out.one(OperationSchema, await ctx.api.call(OperationService.method.cancel, { operationId: operationId! }));
    }));
  return operation;
}
