/**
 * `clouddesk iam create-token --key-file key.json`: signs a JWT with an authorized key file as
 * the official SDKs do and exchanges it (IamTokenService.Create, which needs no credential).
 * In text format it prints the bare token, as `yc iam create-token`, so that
 * `export CLOUDDESK_TOKEN=$(clouddesk iam create-token ...)` works; json and yaml print the
 * whole response, with its expires_at.
 */
import { Command } from 'commander';
import { CreateIamTokenResponseSchema, IamTokenService } from '../../gen/yandex/cloud/iam/v1/iam_token_service_pb.js';
import { signJwt } from '../../resources/iam-token/domain/jwt.js';
import { action } from '../shared/action.js';
import { CliError } from '../shared/client.js';
import { readKeyFile } from './key-file.js';

export function createTokenCommand(): Command {
  return new Command('create-token')
    .description('Sign a JWT with an authorized key file, exchange it, and print the IAM token (valid 12 h)')
    .requiredOption('--key-file <file>', 'authorized key file (clouddesk iam key create, or yc iam key create)')
    .action(action<{ keyFile: string }>(async (ctx, _args, o) => {
      const key = readKeyFile(o.keyFile);
      let jwt: string;
      try {
        jwt = signJwt({ keyId: key.id, serviceAccountId: key.serviceAccountId, privateKey: key.privateKey }, new Date());
      } catch {
        throw new CliError(`${o.keyFile}: private_key is not a usable PEM private key`);
      }
      const res = await ctx.api.call(IamTokenService.method.create, { identity: { case: 'jwt', value: jwt } });
      ctx.out.one(CreateIamTokenResponseSchema, res, (r) => r.iamToken);
    }, { credential: false }));
}
