/**
 * yc's `key=value,...` flag values for desktops: `--resources memory=4G,cores=2`,
 * `--boot-disk type=ssd,size=50G`, `--network-interface network-id=n,subnet-ids=s`,
 * `--group-config min-ready-desktops=1,max-desktops-amount=10,desktop-type=persistent`,
 * `--user subject-id=aje...,subject-type=userAccount`. A wrong key or value is a usage error
 * (exit code 2) naming the flag.
 *
 *   const resources = resourcesOf(o.resources);   // { memory: 4294967296n, cores: 2n, coreFraction: 100n }
 */
import { DesktopGroupConfiguration_DesktopType } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_group_pb.js';
import { DiskSpec_Type } from '../../gen/yandex/cloud/clouddesktop/v1/disk_pb.js';
import { UsageError } from '../shared/globals.js';
import { parseByteSize } from '../shared/refs.js';

function pairs(flag: string, text: string, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    if (eq <= 0 || !keys.includes(key)) throw new UsageError(`${flag}: "${part}" is not one of ${keys.map((k) => `${k}=...`).join(', ')}`);
    out[key] = part.slice(eq + 1);
  }
  return out;
}

function whole(flag: string, key: string, text: string | undefined, fallback?: bigint): bigint {
  if (text === undefined) {
    if (fallback === undefined) throw new UsageError(`${flag}: ${key}= is required`);
    return fallback;
  }
  if (!/^\d+$/.test(text)) throw new UsageError(`${flag}: ${key}="${text}" is not a whole number`);
  return BigInt(text);
}

export function resourcesOf(text: string) {
  const p = pairs('--resources', text, ['memory', 'cores', 'core-fraction']);
  if (p.memory === undefined) throw new UsageError('--resources: memory= is required');
  return { memory: parseByteSize('--resources memory', p.memory), cores: whole('--resources', 'cores', p.cores), coreFraction: whole('--resources', 'core-fraction', p['core-fraction'], 100n) };
}

export function diskOf(flag: string, text: string) {
  const p = pairs(flag, text, ['type', 'size']);
  const type = { hdd: DiskSpec_Type.HDD, ssd: DiskSpec_Type.SSD }[(p.type ?? '').toLowerCase()];
  if (type === undefined) throw new UsageError(`${flag}: type= must be hdd or ssd`);
  if (p.size === undefined) throw new UsageError(`${flag}: size= is required`);
  return { type, size: parseByteSize(`${flag} size`, p.size) };
}

export function networkOf(text: string) {
  const p = pairs('--network-interface', text, ['network-id', 'subnet-ids']);
  if (!p['network-id'] || !p['subnet-ids']) throw new UsageError('--network-interface: network-id= and subnet-ids= are required');
  return { networkId: p['network-id'], subnetIds: p['subnet-ids'].split(/[;:]/) };
}

export function groupConfigOf(text: string) {
  const p = pairs('--group-config', text, ['min-ready-desktops', 'max-desktops-amount', 'desktop-type']);
  const types: Record<string, DesktopGroupConfiguration_DesktopType> = {
    persistent: DesktopGroupConfiguration_DesktopType.PERSISTENT, 'non-persistent': DesktopGroupConfiguration_DesktopType.NON_PERSISTENT,
  };
  const desktopType = types[(p['desktop-type'] ?? 'persistent').toLowerCase()];
  if (desktopType === undefined) throw new UsageError('--group-config: desktop-type= must be persistent or non-persistent');
  return {
    minReadyDesktops: whole('--group-config', 'min-ready-desktops', p['min-ready-desktops'], 0n),
    maxDesktopsAmount: whole('--group-config', 'max-desktops-amount', p['max-desktops-amount'], 0n),
    desktopType,
  };
}

export function userOf(text: string) {
  const p = pairs('--user', text, ['subject-id', 'subject-type']);
  if (!p['subject-id']) throw new UsageError('--user: subject-id= is required');
  return { subjectId: p['subject-id'], subjectType: p['subject-type'] ?? 'userAccount' };
}
