import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A name for this process in leases and claims (message claims, outbox rows, channel leases): host, pid and a random
 * part (pids repeat across machines and restarts). In store/ because every holder of a store row names itself with it.
 */
export function workerName(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
