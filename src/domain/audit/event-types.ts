/**
 * Which RPC produces which Audit Trails event (api-conventions 10.5, docs/decisions.md point 14), and
 * what an event says about the resource it concerns. Data, not code: the composition root builds
 * the catalogue from the service definitions (each mutating RPC names its event beside its
 * handler, checked at compile time) and the resource descriptors (which know their details).
 *
 *   catalog.eventTypeOf('/yandex.cloud.clouddesktop.v1.api.DesktopImageService/Copy')
 *   // → { source: 'clouddesktop', name: 'CopyDesktopImage', idPrefix: 'e3v' }
 */
import type { OperationResponse } from '../operation/operation.js';
import type { ResourceDescriptor } from '../resource.js';

export interface AuditEventType {
  /** `event_source` */
  readonly source: string;
  /** Last part of `event_type` = `yandex.cloud.audit.<source>.<name>` */
  readonly name: string;
  /** First 3 characters of the event ids (those of the service's resource ids). */
  readonly idPrefix: string;
}

export type Details = Record<string, unknown>;

export class AuditCatalog {
  private readonly detailsByResponse: ReadonlyMap<string, (value: never) => Details>;

  constructor(
    private readonly types: ReadonlyMap<string, AuditEventType>,
    descriptors: readonly ResourceDescriptor<never>[],
  ) {
    this.detailsByResponse = new Map(descriptors.flatMap((d) => (d.response && d.details ? [[d.response, d.details] as const] : [])));
  }

  eventTypeOf(method: string): AuditEventType | undefined {
    return this.types.get(method);
  }

  /** Details refreshed from what an operation returned; {} when it returned nothing to show. */
  detailsOfResponse(response: OperationResponse): Details {
    const details = this.detailsByResponse.get(response.type);
    return details && response.value !== undefined ? details(response.value as never) : {};
  }

  /** Throws naming every served mutating RPC that has no event type. */
  assertAudited(mutatingMethods: readonly string[]): void {
    const missing = mutatingMethods.filter((m) => !this.types.has(m));
    if (missing.length > 0) throw new Error(`mutating RPCs without an audit event type: ${missing.join(', ')}`);
  }
}
