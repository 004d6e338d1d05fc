/**
 * Caps the connections open at once from one client address, so a single client cannot hold
 * every file descriptor of the server. A connection over the cap is closed before any byte of it
 * is read; the first refusal per address (until its count drops to zero) is logged.
 *
 *   const cap = createAddressCap(256);
 *   server.on('connection', (socket) => { if (!cap.admit(socket)) return; ... });
 */
import type net from 'node:net';
import { loggers } from '../logger.js';

export interface AddressCap {
  /** Counts the socket until it closes; false (and the socket destroyed) when over the cap. */
  admit(socket: net.Socket): boolean;
  /** Open connections counted for an address. */
  count(address: string): number;
}

interface Entry {
  open: number;
  warned: boolean;
}

export function createAddressCap(max: number): AddressCap {
  const byAddress = new Map<string, Entry>();
  return {
    admit(socket) {
      // A socket that is already gone has no address; it closes by itself and holds nothing.
      const address = socket.remoteAddress ?? '';
      let entry = byAddress.get(address);
      if (!entry) {
        entry = { open: 0, warned: false };
        byAddress.set(address, entry);
      }
      if (entry.open >= max) {
        if (!entry.warned) {
          entry.warned = true;
          loggers.server.warn({ address, max }, 'connection refused: too many open from this address');
        }
        socket.destroy();
        return false;
      }
      entry.open += 1;
      const counted = entry;
      socket.once('close', () => {
        counted.open -= 1;
        if (counted.open === 0) byAddress.delete(address);
      });
      return true;
    },
    count(address) {
      return byAddress.get(address)?.open ?? 0;
    },
  };
}
