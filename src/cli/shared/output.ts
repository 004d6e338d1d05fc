/**
 * The output formats of the client commands, as yc's `--format`: `text` (a table for a list,
 * `key: value` lines for one resource), `json` and `yaml` (proto field names, snake_case; a
 * list is an array) and `json-rest` (proto3 JSON, lowerCamelCase, as the REST API answers).
 *
 *   out.one(DesktopImageSchema, image);
 *   out.list(DesktopImageSchema, images, [['ID', 'id'], ['NAME', 'name'], ['STATUS', 'status']]);
 */
import { createRegistry, toJson, type DescMessage, type JsonValue, type MessageShape } from '@bufbuild/protobuf';
import { file_google_protobuf_empty } from '@bufbuild/protobuf/wkt';
import { stringify } from 'yaml';
import { file_yandex_cloud_clouddesktop_v1_desktop_image_service } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_service_pb.js';
import { file_yandex_cloud_clouddesktop_v1_desktop_image } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import { file_yandex_cloud_clouddesktop_v1_desktop } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_pb.js';
import { file_yandex_cloud_clouddesktop_v1_desktop_service } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_service_pb.js';
import { file_yandex_cloud_clouddesktop_v1_desktop_group } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_group_pb.js';
import { file_yandex_cloud_clouddesktop_v1_desktop_group_service } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_group_service_pb.js';
import { file_yandex_cloud_access_access } from '../../gen/yandex/cloud/access/access_pb.js';
import { file_yandex_cloud_compute_v1_image_service } from '../../gen/yandex/cloud/compute/v1/image_service_pb.js';
import { file_yandex_cloud_compute_v1_image } from '../../gen/yandex/cloud/compute/v1/image_pb.js';
import { file_yandex_cloud_operation_operation } from '../../gen/yandex/cloud/operation/operation_pb.js';
import { file_yandex_cloud_iam_v1_service_account } from '../../gen/yandex/cloud/iam/v1/service_account_pb.js';
import { file_yandex_cloud_iam_v1_service_account_service } from '../../gen/yandex/cloud/iam/v1/service_account_service_pb.js';
import { file_yandex_cloud_iam_v1_key_service } from '../../gen/yandex/cloud/iam/v1/key_service_pb.js';
import { file_yandex_cloud_resourcemanager_v1_folder_service } from '../../gen/yandex/cloud/resourcemanager/v1/folder_service_pb.js';
import type { Format } from './globals.js';

/** The types an Operation's metadata and response may hold (toJson needs them for Any). */
export const REGISTRY = createRegistry(
  file_google_protobuf_empty,
  file_yandex_cloud_operation_operation,
  file_yandex_cloud_clouddesktop_v1_desktop_image,
  file_yandex_cloud_clouddesktop_v1_desktop_image_service,
  file_yandex_cloud_clouddesktop_v1_desktop,
  file_yandex_cloud_clouddesktop_v1_desktop_service,
  file_yandex_cloud_clouddesktop_v1_desktop_group,
  file_yandex_cloud_clouddesktop_v1_desktop_group_service,
  file_yandex_cloud_access_access,
  file_yandex_cloud_compute_v1_image,
  file_yandex_cloud_compute_v1_image_service,
  file_yandex_cloud_iam_v1_service_account,
  file_yandex_cloud_iam_v1_service_account_service,
  file_yandex_cloud_iam_v1_key_service,
  file_yandex_cloud_resourcemanager_v1_folder_service,
);

/** A table column: its header and the snake_case field it shows. */
export type Column = readonly [header: string, field: string];

export class Output {
  constructor(readonly format: Format, private readonly write = (s: string) => process.stdout.write(s)) {}

  /** `text` replaces the `key: value` lines where yc prints one bare value (create-token's token). */
  one<D extends DescMessage>(schema: D, message: MessageShape<D>, text?: (m: MessageShape<D>) => string): void {
    const json = this.json(schema, message);
    if (this.format === 'text' && text) this.write(`${text(message)}\n`);
    else if (this.format === 'json' || this.format === 'json-rest') this.write(`${JSON.stringify(json, null, 2)}\n`);
    else this.write(stringify(json));
  }

  list<D extends DescMessage>(schema: D, messages: readonly MessageShape<D>[], columns: readonly Column[]): void {
    if (this.format !== 'text') {
      const json = messages.map((m) => this.json(schema, m));
      this.write(this.format === 'yaml' ? stringify(json) : `${JSON.stringify(json, null, 2)}\n`);
      return;
    }
    const rows = messages.map((m) => {
      const j = toJson(schema, m, { useProtoFieldName: true, registry: REGISTRY }) as Record<string, JsonValue>;
      return columns.map(([, field]) => cell(j[field]));
    });
    this.write(table(columns.map(([h]) => h), rows));
  }

  private json<D extends DescMessage>(schema: D, message: MessageShape<D>): JsonValue {
    return toJson(schema, message, { useProtoFieldName: this.format !== 'json-rest', registry: REGISTRY });
  }
}

function cell(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(cell).join(',');
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}=${cell(x)}`).join(',');
  return String(v);
}

/** yc's table: `+---+` rules, centred headers, left-aligned cells. */
export function table(headers: readonly string[], rows: readonly string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const rule = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+\n`;
  const centre = (s: string, w: number) => {
    const left = Math.floor((w - s.length) / 2);
    return ' '.repeat(left) + s + ' '.repeat(w - s.length - left);
  };
  const line = (cells: readonly string[], fmt: (s: string, w: number) => string) =>
    `| ${cells.map((c, i) => fmt(c, widths[i]!)).join(' | ')} |\n`;
  return rule + line(headers, centre) + rule + rows.map((r) => line(r, (s, w) => s.padEnd(w))).join('') + rule;
}
