/**
 * Which RPC produces which Audit Trails event (api-conventions 10.5, decisions.md point 14).
 * Data, not code: a mutating RPC (one with the yandex.cloud.api.operation option) that is
 * served but missing here stops the server at start-up (`assertAudited`), so an RPC added
 * later cannot silently skip the audit log.
 *
 *   eventTypeOf('/yandex.cloud.clouddesktop.v1.api.DesktopImageService/Copy')
 *   // → { source: 'clouddesktop', name: 'CopyDesktopImage' }
 */

export interface AuditEventType {
  /** `event_source` */
  readonly source: string;
  /** Last part of `event_type` = `yandex.cloud.audit.<source>.<name>` */
  readonly name: string;
}

const DESKTOP = 'yandex.cloud.clouddesktop.v1.api.DesktopImageService';
const COMPUTE = 'yandex.cloud.compute.v1.ImageService';
const SA = 'yandex.cloud.iam.v1.ServiceAccountService';
const KEY = 'yandex.cloud.iam.v1.KeyService';
const FOLDER = 'yandex.cloud.resourcemanager.v1.FolderService';

export const AUDIT_EVENT_TYPES: Readonly<Record<string, AuditEventType>> = {
  [`/${DESKTOP}/Copy`]: { source: 'clouddesktop', name: 'CopyDesktopImage' },
  [`/${DESKTOP}/CopyFromDesktop`]: { source: 'clouddesktop', name: 'CopyDesktopImageFromDesktop' },
  [`/${DESKTOP}/Update`]: { source: 'clouddesktop', name: 'UpdateDesktopImage' },
  [`/${DESKTOP}/Delete`]: { source: 'clouddesktop', name: 'DeleteDesktopImage' },
  [`/${COMPUTE}/Create`]: { source: 'compute', name: 'CreateImage' },
  [`/${COMPUTE}/Update`]: { source: 'compute', name: 'UpdateImage' },
  [`/${COMPUTE}/Delete`]: { source: 'compute', name: 'DeleteImage' },
  [`/${SA}/Create`]: { source: 'iam', name: 'CreateServiceAccount' },
  [`/${SA}/Update`]: { source: 'iam', name: 'UpdateServiceAccount' },
  [`/${SA}/Delete`]: { source: 'iam', name: 'DeleteServiceAccount' },
  [`/${KEY}/Create`]: { source: 'iam', name: 'CreateKey' },
  [`/${KEY}/Delete`]: { source: 'iam', name: 'DeleteKey' },
  [`/${FOLDER}/SetAccessBindings`]: { source: 'resourcemanager', name: 'SetFolderAccessBindings' },
  [`/${FOLDER}/UpdateAccessBindings`]: { source: 'resourcemanager', name: 'UpdateFolderAccessBindings' },
};

export function eventTypeOf(method: string): AuditEventType | undefined {
  return AUDIT_EVENT_TYPES[method];
}

/** Throws naming every served mutating RPC that has no event type. */
export function assertAudited(mutatingMethods: readonly string[]): void {
  const missing = mutatingMethods.filter((m) => !AUDIT_EVENT_TYPES[m]);
  if (missing.length > 0) {
    throw new Error(`mutating RPCs without an audit event type (src/domain/audit/event-types.ts): ${missing.join(', ')}`);
  }
}
