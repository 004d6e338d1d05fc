/** Builds the Operation row a mutating use case commits together with its change. */
import type { Clock } from '../../clock.js';
import { newId } from '../../ids.js';
import type { Operation } from './operation.js';

export interface NewOperation {
  idPrefix: string;
  description: string;
  createdBy: string;
  metadataType: string;
  /** Metadata fields (proto JSON names). */
  metadataFields: Record<string, string>;
  resourceId: string;
  folderId: string;
  kind: string;
  params?: Record<string, unknown>;
}

export function newOperation(clock: Clock, o: NewOperation): Operation {
  const now = clock.now();
  return {
    id: newId(o.idPrefix),
    description: o.description,
    createdAt: now,
    createdBy: o.createdBy,
    modifiedAt: now,
    done: false,
    metadata: { type: o.metadataType, fields: o.metadataFields },
    kind: o.kind,
    resourceId: o.resourceId,
    folderId: o.folderId,
    params: o.params ?? {},
  };
}
