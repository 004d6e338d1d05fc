/**
 * The two faces of every part of clouddesk (a resource such as desktop images, or a shared part
 * such as audit or IAM), declared in its own folder:
 *
 * - `Part`, static: what the hubs are built from — its storage (migrations, repositories,
 *   tables), its resource descriptor, its gRPC service definition and its operation response
 *   bindings. src/resources.ts lists them all; nothing else names a part.
 * - `Module`, at run time: what the composition root (app.ts) drives through its phases —
 *   jobs → start → recover → register → seal → listen → stop. Every field is optional.
 *
 *   export const desktopImagePart = definePart({ name: 'desktop-image', storage, descriptor, service, responses });
 *   export function desktopImageModule(deps: {...}): Module {
 *     return { name: 'desktop-image', jobs, register: (router) => registerService(router, ...) };
 *   }
 */
import type { Repos } from './domain/store.js';
import type { ResourceDescriptor } from './domain/resource.js';
import type { AcceptHook, FinishHook, Job } from './domain/operation/runner.js';
import type { Guard, Interceptor, Router } from './transport/rpc.js';
import type { StoragePart } from './storage/sql/storage-part.js';
import type { ServiceDefinition } from './api/service.js';
import type { ResponseBinding } from './api/operation-wire.js';

export interface Part {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly storage?: StoragePart<any>;
  readonly descriptor?: ResourceDescriptor<never>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly service?: ServiceDefinition<any, any>;
  /** How the operations of this part return their resource on the wire. */
  readonly responses?: readonly ResponseBinding[];
}

/** Declares a part, keeping its exact type (the parts list checks storage completeness with it). */
export function definePart<const P extends Part>(part: P): P {
  return part;
}

/**
 * Where an interceptor sits in the chain, in this order: `context` sees every refusal after it
 * (the audit log records them), `authorize` checks the caller's roles, `deduplicate` scopes
 * idempotency keys by the authorized subject.
 */
export const STAGES = ['context', 'authorize', 'deduplicate'] as const;
export type Stage = (typeof STAGES)[number];

export interface Module {
  readonly name: string;
  /** Operation jobs, by operation kind. */
  readonly jobs?: Readonly<Record<string, Job>>;
  /** What commits with every operation: in the transaction that accepts it, and that finishes it. */
  readonly hooks?: { readonly accept?: AcceptHook; readonly finish?: FinishHook };
  /** Runs before request validation (authentication). */
  readonly guard?: Guard;
  readonly interceptors?: Partial<Record<Stage, Interceptor>>;
  /** Registers its RPC handlers. */
  register?(router: Router): void;
  /** Checks against the whole router once every service is registered (fails start-up). */
  seal?(router: Router): void;
  /** Inside the periodic housekeeping transaction. */
  housekeeping?(tx: Repos, now: Date): Promise<void>;
  /** Before unfinished operations are recovered. */
  start?(): Promise<void>;
  /** Emulator: the store was wiped or replaced; forget what is kept in memory, seed again. */
  reset?(): Promise<void>;
  /** After the listener has drained and the runner has stopped. */
  stop?(): Promise<void>;
}
