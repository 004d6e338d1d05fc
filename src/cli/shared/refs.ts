/**
 * How a command names its resource, as in yc: `--id`, `--name` (looked up in the folder), or
 * a positional NAME-or-ID, taken as a name when the folder has one by that name and as an id
 * otherwise. Flag values (labels, sizes) are parsed here too.
 *
 *   const id = await idOf(ctx, byName, { id: opts.id, name: opts.name, positional: args[0] });
 */
import type { Ctx } from './action.js';
import { CliError } from './client.js';
import { folderOf, UsageError } from './globals.js';

/** Finds the id of the resource with this name in the folder (undefined: none). */
export type Lookup = (ctx: Ctx, folderId: string, name: string) => Promise<string | undefined>;

export interface Ref {
  id?: string;
  name?: string;
  positional?: string;
}

export async function idOf(ctx: Ctx, lookup: Lookup, kind: string, ref: Ref): Promise<string> {
  const given = [ref.id, ref.name, ref.positional].filter((x) => x !== undefined);
  if (given.length !== 1) throw new UsageError(`give one of ${kind} ID, NAME, --id or --name`);
  if (ref.id !== undefined) return ref.id;
  if (ref.name !== undefined) {
    const folderId = folderOf(ctx.settings);
    const id = await lookup(ctx, folderId, ref.name);
    if (!id) throw new CliError(`${kind} with name "${ref.name}" not found in folder ${folderId}`);
    return id;
  }
  const value = ref.positional!;
  if (!ctx.settings.folderId) return value;
  return (await lookup(ctx, ctx.settings.folderId, value)) ?? value;
}

/** `key=value[,key=value...]`, as yc's --labels. */
export function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (text === '') return out;
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--labels: "${pair}" is not key=value`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

const UNITS: Record<string, bigint> = { '': 1n, k: 1024n, m: 1024n ** 2n, g: 1024n ** 3n, t: 1024n ** 4n };

/** A byte size as yc takes it: `4194304`, `10G`, `10GB`, `512m`. */
export function parseByteSize(flag: string, text: string): bigint {
  const m = /^(\d+)\s*([kmgt]?)b?$/i.exec(text.trim());
  if (!m) throw new UsageError(`${flag}: "${text}" is not a size (e.g. 10G)`);
  return BigInt(m[1]!) * UNITS[m[2]!.toLowerCase()]!;
}

/** `--limit`: a whole number. */
export function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--limit: "${text}" is not a whole number`);
  return Number(text);
}

/** Commander collector for a repeatable flag. */
export const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
