// A window in a worker thread for the lease race of taskLeases.test.ts: claims what it is told to, as soon as told.
import { parentPort } from 'node:worker_threads';
import { TaskLeases } from '../../../src/tasks/taskLeases';

export interface RaceOrder {
  dir: string;
  taskId: string;
}

if (parentPort) {
  const port = parentPort;
  const leases = new Map<string, TaskLeases>();
  port.on('message', async ({ dir, taskId }: RaceOrder) => {
    let window = leases.get(dir);
    if (!window) leases.set(dir, (window = new TaskLeases(dir)));
    try {
      port.postMessage({ taskId, won: await window.claim(taskId, 'download', 60_000) });
    } catch (error) {
      port.postMessage({ taskId, error: String(error) });
    }
  });
}
