/**
 * gRPC server reflection, v1 and v1alpha, through grpc-js-reflection-client (what `grpcurl list`
 * and `describe` do) and through a bare client for the rest of the protocol.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { GrpcReflection } from 'grpc-js-reflection-client';
import { startServer, type RunningServer } from '../harness/server.js';
import { filesOf, listServices, reflect } from './raw-reflection.js';

let server: RunningServer;

before(async () => {
  server = await startServer();
});

after(async () => {
  await server.cleanup();
});

const EXPECTED = [
  'yandex.cloud.clouddesktop.v1.api.DesktopImageService',
  'yandex.cloud.operation.OperationService',
  'yandex.cloud.compute.v1.ImageService',
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
];

for (const version of ['v1', 'v1alpha'] as const) {
  describe(`grpc.reflection.${version} through grpc-js-reflection-client`, () => {
    let client: GrpcReflection;
    before(() => {
      client = new GrpcReflection(server.address, grpc.credentials.createInsecure(), {}, version);
    });
    after(() => (client as unknown as { client: grpc.Client }).client.close());

    it('lists every service, its own included', async () => {
      const names = await client.listServices();
      for (const name of EXPECTED) assert.ok(names.includes(name), `${name} missing from ${names.join(', ')}`);
      assert.equal(new Set(names).size, names.length);
    });

    it('describes every listed service with its methods and resolvable types', async () => {
      for (const name of await client.listServices()) {
        // The library's own listMethods re-encodes through protobufjs and trips over custom
        // options (duplicate extension ids, with buf's descriptors too); its Root is used instead.
        const root = (await client.getDescriptorBySymbol(name)).getProtobufJsRoot();
        root.resolveAll(); // every dependency was served: no unresolved type
        const service = root.lookupService(name);
        assert.ok(Object.keys(service.methods).length > 0, name);
      }
      const root = (await client.getDescriptorBySymbol('yandex.cloud.clouddesktop.v1.api.DesktopImageService')).getProtobufJsRoot();
      const methods = root.lookupService('yandex.cloud.clouddesktop.v1.api.DesktopImageService').methods;
      assert.deepEqual(Object.keys(methods), ['List', 'Get', 'Copy', 'CopyFromDesktop', 'Update', 'Delete']);
      assert.equal(methods['Copy']!.resolvedResponseType?.fullName, '.yandex.cloud.operation.Operation');
    });

    it('finds the file of a message, a nested enum, a method, a field and an enum value', async () => {
      const cases: [symbol: string, declaredIn: string][] = [
        ['yandex.cloud.compute.v1.Image', 'yandex.cloud.compute.v1.Image'],
        ['yandex.cloud.compute.v1.Image.Status', 'yandex.cloud.compute.v1.Image'],
        ['.yandex.cloud.compute.v1.Image.created_at', 'yandex.cloud.compute.v1.Image'],
        ['yandex.cloud.compute.v1.Image.READY', 'yandex.cloud.compute.v1.Image'],
        ['yandex.cloud.operation.OperationService.Get', 'yandex.cloud.operation.OperationService'],
      ];
      for (const [symbol, declaredIn] of cases) {
        const root = (await client.getDescriptorBySymbol(symbol)).getProtobufJsRoot();
        assert.ok(root.lookup(declaredIn), `${symbol}: ${declaredIn} not in the answer`);
      }
      const status = (await client.getDescriptorBySymbol('yandex.cloud.compute.v1.Image.Status')).getProtobufJsRoot();
      assert.deepEqual(Object.keys(status.lookupEnum('yandex.cloud.compute.v1.Image.Status').values),
        ['STATUS_UNSPECIFIED', 'CREATING', 'READY', 'ERROR', 'DELETING']);
    });

    it('fetches a file by name, and reports unknown symbols and files', async () => {
      const root = (await client.getDescriptorByFileName('yandex/cloud/operation/operation.proto')).getProtobufJsRoot();
      assert.ok(root.lookupType('yandex.cloud.operation.Operation'));
      await assert.rejects(client.getDescriptorBySymbol('yandex.cloud.Nope'), /Symbol yandex.cloud.Nope not found/);
      await assert.rejects(client.getDescriptorByFileName('nope.proto'), /File nope.proto not found/);
    });
  });
}

describe('reflection protocol details (bare client)', () => {
  it('answers v1 and v1alpha alike and echoes the request', async () => {
    assert.deepEqual(await listServices(server.address, 'v1alpha'), await listServices(server.address, 'v1'));
    const [res] = await reflect(server.address, [{ host: 'h', messageRequest: { case: 'fileByFilename', value: 'google/rpc/status.proto' } }]);
    assert.equal(res!.validHost, 'h');
    assert.equal(res!.originalRequest?.messageRequest.value, 'google/rpc/status.proto');
  });

  it('sends a file with the dependencies not yet sent on the stream', async () => {
    const [first, second] = await reflect(server.address, [
      { messageRequest: { case: 'fileContainingSymbol', value: 'yandex.cloud.operation.OperationService' } },
      { messageRequest: { case: 'fileContainingSymbol', value: 'yandex.cloud.operation.Operation' } },
    ]);
    const names = filesOf(first!).map((f) => f.name);
    assert.equal(names[0], 'yandex/cloud/operation/operation_service.proto');
    for (const dep of ['yandex/cloud/operation/operation.proto', 'google/protobuf/any.proto', 'google/rpc/status.proto', 'google/api/annotations.proto']) {
      assert.ok(names.includes(dep), `${dep} missing from ${names.join(', ')}`);
    }
    assert.deepEqual(filesOf(second!).map((f) => f.name), ['yandex/cloud/operation/operation.proto']);
  });

  it('finds extensions and their numbers, and errors in-stream without ending it', async () => {
    const answers = await reflect(server.address, [
      { messageRequest: { case: 'allExtensionNumbersOfType', value: 'google.protobuf.MethodOptions' } },
      { messageRequest: { case: 'fileContainingExtension', value: { containingType: 'google.protobuf.MethodOptions', extensionNumber: 72295728 } } },
      { messageRequest: { case: 'allExtensionNumbersOfType', value: 'no.Such' } },
      { messageRequest: { case: 'fileContainingSymbol', value: 'no.Such' } },
      { messageRequest: { case: undefined } },
      { messageRequest: { case: 'listServices', value: '' } },
    ]);
    assert.equal(answers.length, 6);
    const [numbers, file, badType, badSymbol, empty, list] = answers.map((a) => a.messageResponse);
    assert.equal(numbers!.case, 'allExtensionNumbersResponse');
    assert.ok(numbers!.case === 'allExtensionNumbersResponse' && numbers!.value.extensionNumber.includes(72295728)); // google.api.http
    assert.equal(file!.case, 'fileDescriptorResponse');
    assert.equal(filesOf(answers[1]!)[0]!.name, 'google/api/annotations.proto');
    for (const [res, code] of [[badType, 5], [badSymbol, 5], [empty, 3]] as const) {
      assert.equal(res!.case, 'errorResponse');
      assert.equal(res!.case === 'errorResponse' && res!.value.errorCode, code);
    }
    assert.equal(list!.case, 'listServicesResponse');
  });
});
