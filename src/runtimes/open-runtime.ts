/**
 * Chooses the desktop runtime from the configuration (`--desktop-runtime`). A runtime that boots
 * real machines is one more branch here and one new file beside the simulated one.
 *
 *   const runtime = openRuntime(config.desktops, clock);
 */
import type { Clock } from '../clock.js';
import type { DesktopRuntime } from '../resources/desktop/domain/runtime.js';
import { SimulatedRuntime } from './simulated-runtime.js';

export interface RuntimeConfig {
  readonly runtime: 'simulated';
  readonly transitionMs: number;
  readonly rdpHost: string;
}

export function openRuntime(config: RuntimeConfig, clock: Clock): DesktopRuntime {
  switch (config.runtime) {
    case 'simulated':
      return new SimulatedRuntime({ transitionMs: config.transitionMs, rdpHost: config.rdpHost }, clock);
  }
}
