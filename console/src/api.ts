/**
 * The console's one way to the server: same-origin fetch of the REST paths of the API's
 * google.api.http annotations, with `Authorization: Bearer <token>`. An error answer (the
 * google.rpc.Status JSON) becomes an ApiError whose message names the violated fields.
 *
 *   const api = new Api(token);
 *   const page = await api.get<ListImages>('/cloud-desktop/v1/images', { folderId, pageSize: 20 });
 *   const op = await api.send<Operation>('POST', '/cloud-desktop/v1/images:copy', { folderId, name, imageId });
 */

export interface Operation {
  id: string;
  description?: string;
  createdAt?: string;
  modifiedAt?: string;
  done?: boolean;
  metadata?: Record<string, unknown>;
  error?: { code: number; message: string; details?: unknown[] };
  response?: Record<string, unknown>;
}

export type Labels = Record<string, string>;

export interface FieldViolation {
  field: string;
  description: string;
}

export class ApiError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly violations: FieldViolation[] = [],
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined>;

export class Api {
  constructor(private readonly token: string) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return this.call<T>('GET', qs ? `${path}?${qs}` : path);
  }

  send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.call<T>(method, path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit' });
    } catch (err) {
      throw new ApiError(0, `The server could not be reached (${(err as Error).message})`);
    }
    const text = await res.text();
    const json = text ? safeJson(text) : {};
    if (!res.ok) throw errorOf(res.status, json);
    return json as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** The google.rpc.Status JSON of an error answer, with its BadRequest field violations. */
function errorOf(httpStatus: number, json: unknown): ApiError {
  const status = (json ?? {}) as { code?: number; message?: string; details?: unknown[] };
  return new ApiError(httpStatus, status.message || `HTTP ${httpStatus}`, violationsOf(status.details));
}

function violationsOf(details: unknown[] | undefined): FieldViolation[] {
  const out: FieldViolation[] = [];
  for (const d of details ?? []) {
    const v = (d as { fieldViolations?: FieldViolation[] }).fieldViolations;
    if (Array.isArray(v)) out.push(...v);
  }
  return out;
}

/** One line for a person: the message, then each violated field. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = err.violations.map((v) => `${v.field}: ${v.description}`);
    return [err.message, ...fields].join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}

/** `key=value` lines (or commas) into a labels map; throws naming the bad entry. */
export function parseLabels(text: string): Labels {
  const labels: Labels = {};
  for (const raw of text.split(/[\n,]/)) {
    const item = raw.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`Label "${item}" is not key=value`);
    labels[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return labels;
}

export function formatLabels(labels: Labels | undefined): string {
  return Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}

export function formatBytes(value: string | number | undefined): string {
  const n = Number(value ?? 0);
  if (!n) return '0 B';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1024)));
  return `${(n / 1024 ** i).toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

export function formatTime(value: string | undefined): string {
  return value ? new Date(value).toLocaleString() : '';
}
