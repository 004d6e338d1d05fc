/**
 * The only module that reads the environment. The variable of each `serve` option is in the
 * option table (options.ts), where commander takes it from too (flag > env > default); the
 * `clouddesk iam` variables, which are not server options, are listed here.
 *
 *   const { endpoint, token } = readEnv();
 */
import { OPTIONS, type OptionKey } from './options.js';

const IAM_ENV = {
  // The client commands (`clouddesk iam`, `desktops`, `compute`...): the server to talk to and
  // the credential to use; they override the active profile.
  endpoint: 'CLOUDDESK_ENDPOINT',
  token: 'CLOUDDESK_TOKEN',
  profile: 'CLOUDDESK_PROFILE',
} as const;

export const ENV: Readonly<Record<OptionKey, string>> & typeof IAM_ENV = Object.freeze({
  ...(Object.fromEntries(Object.entries(OPTIONS).map(([key, spec]) => [key, spec.env])) as Record<OptionKey, string>),
  ...IAM_ENV,
});

export type EnvKey = keyof typeof ENV;

/** Reads raw values for tests and diagnostics; commander reads them itself for flags. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): Partial<Record<EnvKey, string>> {
  const out: Partial<Record<EnvKey, string>> = {};
  for (const [key, name] of Object.entries(ENV) as [EnvKey, string][]) {
    const v = env[name];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

/** Where the client commands keep their profiles: `$XDG_CONFIG_HOME/clouddesk`, else `~/.config/clouddesk`. */
export function cliConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] || `${env['HOME'] ?? '.'}/.config`;
  return `${base}/clouddesk`;
}
