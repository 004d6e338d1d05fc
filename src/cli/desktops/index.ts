/** `clouddesk desktops`: one file per resource group, as yc's `desktops image|group|desktop`. */
import { Command } from 'commander';
import { desktopImageCommand } from './image.js';
import { desktopGroupCommand } from './group.js';
import { desktopCommand } from './desktop.js';

export function desktopsCommand(): Command {
  return new Command('desktops').description('Cloud Desktop: desktop images, groups and desktops')
    .addCommand(desktopImageCommand()).addCommand(desktopGroupCommand()).addCommand(desktopCommand());
}
