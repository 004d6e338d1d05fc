/** Entry point of the `clouddesk` command (the tree is in cli/program.ts). */
import { CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { buildProgram } from './cli/program.js';
import { exitWhenLogged, loggers } from './logger.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

buildProgram(version).parseAsync(process.argv).catch((err: unknown) => {
  // A usage error: commander has printed it and set the exit code (2).
  if (err instanceof CommanderError) return;
  loggers.server.fatal({ err }, 'clouddesk failed');
  void exitWhenLogged(1);
});
