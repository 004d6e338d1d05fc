/** `clouddesk compute`: the Compute images desktop images are copied from, as yc's `compute image`. */
import { Command } from 'commander';
import { computeImageCommand } from './image.js';

export function computeCommand(): Command {
  return new Command('compute').description('Compute Cloud: images').addCommand(computeImageCommand());
}
