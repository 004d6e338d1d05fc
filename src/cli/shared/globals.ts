/**
 * The global flags of the client commands, accepted anywhere on the command line as yc does,
 * and the settings they resolve to: a flag, else the environment (CLOUDDESK_ENDPOINT,
 * CLOUDDESK_TOKEN), else the profile (--profile, CLOUDDESK_PROFILE or the active one), else
 * the default.
 *
 *   addGlobalOptions(program);                 // on every command of the tree
 *   const s = settingsOf(cmd);                 // in an action
 *   const api = clientFor(s);
 */
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { cliConfigDir, readEnv } from '../../config/env.js';
import { OPTIONS } from '../../config/options.js';
import { ApiClient, CliError } from './client.js';
import { ProfileFile } from './profiles.js';

export const FORMATS = ['text', 'json', 'json-rest', 'yaml'] as const;
export type Format = (typeof FORMATS)[number];

interface GlobalFlags {
  endpoint?: string;
  token?: string;
  insecure?: boolean;
  caFile?: string;
  profile?: string;
  format?: Format;
  folderId?: string;
}

export interface Settings {
  readonly endpoint: string;
  readonly token?: string;
  readonly insecure: boolean;
  readonly caFile?: string;
  readonly folderId?: string;
  readonly format: Format;
}

export const globalOptions = (): Option[] => [
  new Option('--endpoint <host:port>', `server address (default ${OPTIONS.listen.default})`),
  new Option('--token <token>', 'IAM token or bootstrap credential (prefer CLOUDDESK_TOKEN or a profile)'),
  new Option('--insecure', 'connect without TLS (plaintext h2c)'),
  new Option('--ca-file <file>', 'PEM certificate of the CA to trust for TLS'),
  new Option('--profile <name>', 'profile to use instead of the active one'),
  new Option('--format <format>', 'output format').choices(FORMATS),
  new Option('--folder-id <id>', 'folder to use instead of the profile\'s folder-id'),
];

/**
 * Adds the global flags to `cmd` and every command under it (no defaults, so a parent's value
 * is never hidden by a child's). A command that declares a flag of its own keeps it.
 */
export function addGlobalOptions(cmd: Command): void {
  for (const o of globalOptions()) if (!cmd.options.some((x) => x.long === o.long)) cmd.addOption(o);
  for (const sub of cmd.commands) addGlobalOptions(sub);
}

export function settingsOf(cmd: Command): Settings {
  const f = cmd.optsWithGlobals<GlobalFlags>();
  const env = readEnv();
  const profile = ProfileFile.open(cliConfigDir()).profile(f.profile ?? env.profile);
  return {
    endpoint: f.endpoint ?? env.endpoint ?? profile.endpoint ?? OPTIONS.listen.default,
    token: f.token ?? env.token ?? profile.token,
    insecure: f.insecure ?? profile.insecure ?? false,
    caFile: f.caFile ?? profile['ca-file'],
    folderId: f.folderId ?? profile['folder-id'],
    format: f.format ?? 'text',
  };
}

export function clientFor(s: Settings, needsToken = true): ApiClient {
  if (needsToken && !s.token) {
    throw new CliError('no credential: pass --token, set CLOUDDESK_TOKEN or "clouddesk config set token" (e.g. the bootstrap credential)');
  }
  if (s.insecure && s.caFile) throw new CliError('--insecure and --ca-file exclude each other');
  const tls = s.insecure ? undefined : { ca: s.caFile ? readFileSync(s.caFile) : undefined };
  return new ApiClient({ endpoint: s.endpoint, token: needsToken ? s.token : undefined, tls });
}

export function folderOf(s: Settings): string {
  if (!s.folderId) throw new UsageError('no folder: pass --folder-id or "clouddesk config set folder-id ID"');
  return s.folderId;
}

/** A mistake on the command line: exit code 2, as commander's own. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
