// Code generation, run by `npm ci` (prepare) and `npm run build`.
// 1. copies the few google/api and google/rpc protos we import from the google-proto-files
//    package into build/proto-deps (no network, no Buf Schema Registry);
// 2. runs buf with the local protoc-gen-es plugin over proto/ and those deps into src/gen;
// 3. clears dist/, which tsc then writes anew.
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const googleProtos = join(dirname(require.resolve('google-proto-files/package.json')), 'google');
const deps = join(root, 'build/proto-deps');

const needed = [
  'api/annotations.proto',
  'api/http.proto',
  'rpc/status.proto',
  'rpc/error_details.proto',
  'rpc/code.proto',
];
rmSync(deps, { recursive: true, force: true });
for (const file of needed) {
  mkdirSync(dirname(join(deps, 'google', file)), { recursive: true });
  cpSync(join(googleProtos, file), join(deps, 'google', file));
}

rmSync(join(root, 'src/gen'), { recursive: true, force: true });
// tsc never deletes outputs: a module moved or removed must not leave its old test behind.
rmSync(join(root, 'dist'), { recursive: true, force: true });
const buf = join(dirname(require.resolve('@bufbuild/buf/package.json')), 'bin/buf');
execFileSync(buf, ['generate'], { cwd: root, stdio: 'inherit' });
