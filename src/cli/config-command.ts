/**
 * `clouddesk config`: profiles, as yc's `config profile create|activate|list` and `config set`.
 *
 *   clouddesk config profile create lab            # creates and activates it
 *   clouddesk config set endpoint desk.lan:50051
 *   clouddesk config set insecure true
 */
import { Command } from 'commander';
import { stringify } from 'yaml';
import { cliConfigDir, readEnv } from '../config/env.js';
import { local } from './shared/action.js';
import { PROFILE_KEYS, ProfileFile, type ProfileKey } from './shared/profiles.js';
import { UsageError } from './shared/globals.js';

const open = () => ProfileFile.open(cliConfigDir());
/** The --profile flag (or CLOUDDESK_PROFILE) picks the profile `set` and `list` work on. */
const chosen = (cmd: Command) => cmd.optsWithGlobals<{ profile?: string }>().profile ?? readEnv().profile;

export function configCommand(): Command {
  const config = new Command('config').description('Profiles: the server, credential and folder the commands use');
  const profile = config.command('profile').description('Create, activate and list profiles');
  profile.command('create <PROFILE-NAME>').description('Create a profile and make it the active one')
    .action(local(([name]) => {
      const f = open();
      f.create(name!);
      f.save();
      process.stderr.write(`Profile '${name}' created and activated\n`);
    }));
  profile.command('activate <PROFILE-NAME>').description('Make a profile the active one')
    .action(local(([name]) => {
      const f = open();
      f.activate(name!);
      f.save();
      process.stderr.write(`Profile '${name}' activated\n`);
    }));
  profile.command('list').description('List profiles; the active one is marked ACTIVE')
    .action(local(() => {
      const f = open();
      for (const n of f.names()) process.stdout.write(n === f.current ? `${n} ACTIVE\n` : `${n}\n`);
    }));
  config.command('set <KEY> <VALUE>').description(`Set a setting of the profile: ${PROFILE_KEYS.join(', ')}`)
    .action(local(([key, value], _o, cmd) => {
      if (!(PROFILE_KEYS as readonly string[]).includes(key!)) throw new UsageError(`unknown key "${key}": one of ${PROFILE_KEYS.join(', ')}`);
      const f = open();
      f.set(chosen(cmd), key as ProfileKey, value!);
      f.save();
    }));
  config.command('list').description('Show the settings of the profile (the token is masked)')
    .action(local((_a, _o, cmd) => {
      const p = { ...open().profile(chosen(cmd)) };
      if (p.token) p.token = `${p.token.slice(0, 4)}...`;
      process.stdout.write(Object.keys(p).length === 0 ? '' : stringify(p));
    }));
  return config;
}
