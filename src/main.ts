/** Entry point of the `clouddesk` command. */
import { Command } from 'commander';
import { createRequire } from 'node:module';
import { serveCommand } from './cli/serve.js';
import { iamCommand } from './cli/iam/index.js';
import { flushLogs, loggers } from './logger.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

const program = new Command('clouddesk')
  .description('Self-hostable Yandex Cloud Cloud Desktop image API (gRPC + REST on one port)')
  .version(version)
  .addCommand(serveCommand())
  .addCommand(iamCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  loggers.server.fatal({ err }, 'clouddesk failed');
  flushLogs();
  process.exit(1);
});
