/**
 * A stored long-running operation. The domain keeps metadata and results as plain records;
 * api/operation-service/to-wire.ts turns them into google.protobuf.Any / google.rpc.Status.
 */
import type { FieldViolation } from '../errors.js';
import type { DesktopImage } from '../desktop-image/desktop-image.js';
import type { ComputeImage } from '../compute-image/compute-image.js';
import type { AccessBindingsResult, ServiceAccount } from '../iam/identities.js';

export interface OperationError {
  code: number;
  message: string;
  violations?: FieldViolation[];
}

export type OperationResponse =
  | { type: 'yandex.cloud.clouddesktop.v1.api.DesktopImage'; value: DesktopImage }
  | { type: 'yandex.cloud.compute.v1.Image'; value: ComputeImage }
  | { type: 'yandex.cloud.iam.v1.ServiceAccount'; value: ServiceAccount }
  | { type: 'yandex.cloud.access.AccessBindingsOperationResult'; value: AccessBindingsResult }
  | { type: 'google.protobuf.Empty' };

export interface Operation {
  id: string;
  description: string;
  createdAt: Date;
  createdBy: string;
  modifiedAt: Date;
  done: boolean;
  /** Full proto name of the metadata message and its fields (proto JSON names). */
  metadata: { type: string; fields: Record<string, string> };
  error?: OperationError;
  response?: OperationResponse;
  /** Job that advances it (see runner.ts). */
  kind: string;
  /** The resource it acts on and that resource's folder (for listing and authorization). */
  resourceId: string;
  folderId: string;
  /** Job input, kept so an interrupted job can be resumed. */
  params: Record<string, unknown>;
}
