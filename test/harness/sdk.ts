/**
 * Official @yandex-cloud/nodejs-sdk generated clients pointed at a test server, through the
 * SDK's own client factory (retry and deadline middleware included).
 *
 *   const sdk = sdkClients(server.address);
 *   const op = await sdk.desktopImages.copy({ folderId, name, imageId });
 */
import { createRequire } from 'node:module';
import { credentials } from '@grpc/grpc-js';
import { createChannel, Metadata, type Channel } from 'nice-grpc';
import { waitFor } from './wait.js';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-var-requires */
const { clientFactory } = require('@yandex-cloud/nodejs-sdk/dist/utils/client-factory');
export const cloudDesktop = require('@yandex-cloud/nodejs-sdk/clouddesktop-v1');
export const compute = require('@yandex-cloud/nodejs-sdk/compute-v1');
export const operation = require('@yandex-cloud/nodejs-sdk/operation');
export const iam = require('@yandex-cloud/nodejs-sdk/iam-v1');
export const resourceManager = require('@yandex-cloud/nodejs-sdk/resourcemanager-v1');
export const access = require('@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/access/access');
export const endpoint = require('@yandex-cloud/nodejs-sdk/dist/generated/yandex/cloud/endpoint/api_endpoint_service');

// The SDK types are rich but deep; tests use them structurally.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Client = any;

export interface SdkClients {
  channel: Channel;
  desktopImages: Client;
  desktops: Client;
  desktopGroups: Client;
  images: Client;
  operations: Client;
  iamTokens: Client;
  serviceAccounts: Client;
  keys: Client;
  roles: Client;
  folders: Client;
  endpoints: Client;
  close(): void;
}

/** Clients for `server`, authenticated with `token` (the bootstrap admin's by default). */
export function sdkFor(server: { address: string; token: string }, token: string | null = server.token): SdkClients {
  return sdkClients(server.address, token === null ? {} : { authorization: `Bearer ${token}` });
}

export function sdkClients(address: string, headers: Record<string, string> = {}): SdkClients {
  const channel = createChannel(address, credentials.createInsecure());
  const metadata = Metadata();
  for (const [k, v] of Object.entries(headers)) metadata.set(k, v);
  const defaults = { '*': { metadata } };
  // SDK users build requests with `X.fromPartial({...})`; the wrapper does the same per method.
  const make = (svc: unknown, requests: Record<string, { fromPartial(o: unknown): unknown }>) => {
    const client = clientFactory.create(svc, channel, defaults);
    return new Proxy(client, {
      get(target, prop: string) {
        const fn = target[prop];
        const type = requests[prop];
        if (typeof fn !== 'function' || !type) return fn;
        return (req: unknown, opts?: unknown) => fn.call(target, type.fromPartial(req), opts);
      },
    });
  };
  const di = cloudDesktop.desktopImageService;
  const ds = cloudDesktop.desktopService;
  const dg = cloudDesktop.desktopGroupService;
  const im = compute.imageService;
  const op = operation.operationService;
  return {
    channel,
    desktopImages: make(di.DesktopImageServiceClient.service, {
      list: di.ListDesktopImagesRequest,
      get: di.GetDesktopImageRequest,
      copy: di.CopyDesktopImageRequest,
      copyFromDesktop: di.CopyFromDesktopRequest,
      update: di.UpdateDesktopImageRequest,
      delete: di.DeleteDesktopImageRequest,
    }),
    desktops: make(ds.DesktopServiceClient.service, {
      get: ds.GetDesktopRequest,
      getRdpFile: ds.GetRdpFileRequest,
      list: ds.ListDesktopsRequest,
      listOperations: ds.ListDesktopOperationsRequest,
      create: ds.CreateDesktopRequest,
      updateProperties: ds.UpdatePropertiesRequest,
      delete: ds.DeleteDesktopRequest,
      resetPassword: ds.ResetPasswordRequest,
      restart: ds.RestartRequest,
      update: ds.UpdateRequest,
      start: ds.StartRequest,
      stop: ds.StopRequest,
    }),
    desktopGroups: make(dg.DesktopGroupServiceClient.service, {
      get: dg.GetDesktopGroupRequest,
      list: dg.ListDesktopGroupsRequest,
      listDesktops: dg.ListDesktopGroupDesktopsRequest,
      listOperations: dg.ListDesktopGroupOperationsRequest,
      create: dg.CreateDesktopGroupRequest,
      update: dg.UpdateDesktopGroupRequest,
      delete: dg.DeleteDesktopGroupRequest,
      listAccessBindings: access.ListAccessBindingsRequest,
      setAccessBindings: access.SetAccessBindingsRequest,
      updateAccessBindings: access.UpdateAccessBindingsRequest,
    }),
    images: make(im.ImageServiceClient.service, {
      get: im.GetImageRequest,
      getLatestByFamily: im.GetImageLatestByFamilyRequest,
      list: im.ListImagesRequest,
      create: im.CreateImageRequest,
      update: im.UpdateImageRequest,
      delete: im.DeleteImageRequest,
      listOperations: im.ListImageOperationsRequest,
    }),
    endpoints: make(endpoint.ApiEndpointServiceService, {
      get: endpoint.GetApiEndpointRequest,
      list: endpoint.ListApiEndpointsRequest,
    }),
    operations: make(op.OperationServiceClient.service, {
      get: op.GetOperationRequest,
      cancel: op.CancelOperationRequest,
    }),
    iamTokens: make(iam.iamTokenService.IamTokenServiceClient.service, {
      create: iam.iamTokenService.CreateIamTokenRequest,
    }),
    serviceAccounts: make(iam.serviceAccountService.ServiceAccountServiceClient.service, {
      get: iam.serviceAccountService.GetServiceAccountRequest,
      list: iam.serviceAccountService.ListServiceAccountsRequest,
      create: iam.serviceAccountService.CreateServiceAccountRequest,
      delete: iam.serviceAccountService.DeleteServiceAccountRequest,
      update: iam.serviceAccountService.UpdateServiceAccountRequest,
    }),
    keys: make(iam.keyService.KeyServiceClient.service, {
      get: iam.keyService.GetKeyRequest,
      list: iam.keyService.ListKeysRequest,
      create: iam.keyService.CreateKeyRequest,
      delete: iam.keyService.DeleteKeyRequest,
    }),
    roles: make(iam.roleService.RoleServiceClient.service, {
      get: iam.roleService.GetRoleRequest,
      list: iam.roleService.ListRolesRequest,
    }),
    folders: make(resourceManager.folderService.FolderServiceClient.service, {
      listAccessBindings: access.ListAccessBindingsRequest,
      setAccessBindings: access.SetAccessBindingsRequest,
      updateAccessBindings: access.UpdateAccessBindingsRequest,
    }),
    close: () => channel.close(),
  };
}

/** Polls OperationService.Get until the operation is done. */
export async function waitDone(sdk: SdkClients, op: { id: string; done: boolean }, timeoutMs = 20_000): Promise<Client> {
  if (op.done) return op;
  return waitFor(
    async () => {
      const cur: Client = await sdk.operations.get({ operationId: op.id });
      return cur.done && cur;
    },
    { what: `operation ${op.id} to be done`, timeoutMs },
  );
}
