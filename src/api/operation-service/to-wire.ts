/** Stored operation → yandex.cloud.operation.Operation with packed metadata and result. */
import { create } from '@bufbuild/protobuf';
import { anyPack, EmptySchema, type Any } from '@bufbuild/protobuf/wkt';
import { OperationSchema, type Operation as WireOperation } from '../../gen/yandex/cloud/operation/operation_pb.js';
import { DesktopImageSchema } from '../../gen/yandex/cloud/clouddesktop/v1/desktop_image_pb.js';
import { ImageSchema } from '../../gen/yandex/cloud/compute/v1/image_pb.js';
import type { Operation, OperationResponse } from '../../domain/operation/operation.js';
import { buildStatus } from '../../transport/status.js';
import { typeRegistry } from '../registry.js';
import { ts } from '../wire.js';
import { desktopImageToWire } from '../desktop-image-service/to-wire.js';
import { computeImageToWire } from '../image-service/to-wire.js';
import { ServiceAccountSchema } from '../../gen/yandex/cloud/iam/v1/service_account_pb.js';
import { AccessBindingsOperationResultSchema } from '../../gen/yandex/cloud/access/access_pb.js';
import { serviceAccountToWire } from '../service-account-service/to-wire.js';
import { accessBindingsResultToWire } from '../folder-service/to-wire.js';

export function operationToWire(op: Operation): WireOperation {
  const metaSchema = typeRegistry.getMessage(op.metadata.type);
  if (!metaSchema) throw new Error(`unknown metadata type ${op.metadata.type}`);
  const wire = create(OperationSchema, {
    id: op.id,
    description: op.description,
    createdAt: ts(op.createdAt),
    createdBy: op.createdBy,
    modifiedAt: ts(op.modifiedAt),
    done: op.done,
    metadata: anyPack(metaSchema, create(metaSchema, op.metadata.fields)),
  });
  if (op.error) {
    wire.result = { case: 'error', value: buildStatus(op.error.code, op.error.message, op.error.violations) };
  } else if (op.response) {
    wire.result = { case: 'response', value: responseToAny(op.response) };
  }
  return wire;
}

function responseToAny(r: OperationResponse): Any {
  switch (r.type) {
    case 'yandex.cloud.clouddesktop.v1.api.DesktopImage':
      return anyPack(DesktopImageSchema, desktopImageToWire(r.value));
    case 'yandex.cloud.compute.v1.Image':
      return anyPack(ImageSchema, computeImageToWire(r.value));
    case 'yandex.cloud.iam.v1.ServiceAccount':
      return anyPack(ServiceAccountSchema, serviceAccountToWire(r.value));
    case 'yandex.cloud.access.AccessBindingsOperationResult':
      return anyPack(AccessBindingsOperationResultSchema, accessBindingsResultToWire(r.value));
    case 'google.protobuf.Empty':
      return anyPack(EmptySchema, create(EmptySchema));
  }
}
