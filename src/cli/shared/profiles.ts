/**
 * Profiles of the client commands, in yc's layout: one YAML file
 * (`$XDG_CONFIG_HOME/clouddesk/config.yaml`) with the active profile's name and each profile's
 * settings. The file may hold a token, so it is written 0600 (its directory 0700), through a
 * temporary file and a rename: an interrupted write leaves the old file whole.
 *
 *   const file = ProfileFile.open(cliConfigDir());
 *   file.create('lab'); file.set('lab', 'endpoint', 'desk.lan:50051'); file.save();
 *   file.profile(undefined)   // the active one: { endpoint: 'desk.lan:50051' }
 */
import { chmodSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CliError } from './client.js';

/** The settings a profile holds, by their yc-style names. */
export const PROFILE_KEYS = ['endpoint', 'token', 'folder-id', 'ca-file', 'insecure'] as const;
export type ProfileKey = (typeof PROFILE_KEYS)[number];
export type Profile = Partial<Record<Exclude<ProfileKey, 'insecure'>, string>> & { insecure?: boolean };

interface Content {
  current?: string;
  profiles: Record<string, Profile>;
}

const NAME = /^[a-z][-a-z0-9_]{0,62}$/;

export class ProfileFile {
  private constructor(private readonly path: string, private readonly content: Content) {}

  static open(dir: string): ProfileFile {
    const path = join(dir, 'config.yaml');
    if (!existsSync(path)) return new ProfileFile(path, { profiles: {} });
    let raw: unknown;
    try {
      raw = parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw new CliError(`${path}: not valid YAML (${(err as Error).message.split('\n')[0]})`);
    }
    const c = (raw ?? {}) as Partial<Content>;
    if (typeof c !== 'object' || (c.profiles !== undefined && typeof c.profiles !== 'object')) {
      throw new CliError(`${path}: expected "current" and "profiles"`);
    }
    return new ProfileFile(path, { current: c.current, profiles: c.profiles ?? {} });
  }

  get current(): string | undefined {
    return this.content.current;
  }

  names(): string[] {
    return Object.keys(this.content.profiles);
  }

  /** The named profile, or the active one; a name that is not there is an error. */
  profile(name: string | undefined): Profile {
    const n = name ?? this.content.current;
    if (n === undefined) return {};
    const p = this.content.profiles[n];
    if (!p) throw new CliError(`profile "${n}" does not exist (clouddesk config profile list)`);
    return p;
  }

  create(name: string): void {
    if (!NAME.test(name)) throw new CliError(`profile name "${name}": [a-z][-a-z0-9_]*, up to 63 characters`);
    if (this.content.profiles[name]) throw new CliError(`profile "${name}" already exists`);
    this.content.profiles[name] = {};
    this.content.current = name;
  }

  activate(name: string): void {
    this.profile(name);
    this.content.current = name;
  }

  /** Sets a key of the named (else active) profile; with no profile yet, creates "default". */
  set(name: string | undefined, key: ProfileKey, value: string): void {
    if (name === undefined && this.content.current === undefined) this.create('default');
    const p = this.profile(name);
    if (key === 'insecure') {
      if (value !== 'true' && value !== 'false') throw new CliError(`insecure: true or false, not "${value}"`);
      p.insecure = value === 'true';
    } else {
      p[key] = value;
    }
  }

  save(): void {
    mkdirSync(join(this.path, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${this.path}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, stringify(this.content));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(tmp, 0o600);
    renameSync(tmp, this.path);
  }
}
