// Leases that let several VS Code windows share the task list: one window at a time polls or downloads a task.
// A lease is a small file in the extension's global storage; a window that closes lets its leases run out,
// and a reloaded one takes over at once the leases of its ended extension host.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type LeasePurpose = 'poll' | 'download';

interface Lease {
  owner: string;
  expires: number;
  /** The extension host that holds it, so a reloaded window need not wait for its old host's leases to run out. */
  pid?: number;
  host?: string;
}

export class TaskLeases {
  /** This window's identity; leases it holds carry it. */
  readonly owner = randomUUID();
  private ready: Promise<unknown> | undefined;

  constructor(private readonly dir: string, private readonly now: () => number = Date.now) {}

  /**
   * True when this window may work on the task for the next `ttlMs`: the lease was free, had run out,
   * or was ours already (then it is extended).
   */
  async claim(taskId: string, purpose: LeasePurpose, ttlMs: number): Promise<boolean> {
    this.ready ??= fs.mkdir(this.dir, { recursive: true });
    await this.ready;
    const file = this.fileOf(taskId, purpose);
    const mine: Lease = { owner: this.owner, expires: this.now() + ttlMs, pid: process.pid, host: os.hostname() };
    try {
      await fs.writeFile(file, JSON.stringify(mine), { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const current = await this.read(file);
    if (current && current.owner !== this.owner && current.expires > this.now() && !heldByEndedProcess(current)) return false;
    // Free to take: replace atomically, then read back in case another window took it in the same instant.
    const temporary = `${file}.${this.owner}`;
    await fs.writeFile(temporary, JSON.stringify(mine));
    await fs.rename(temporary, file);
    return (await this.read(file))?.owner === this.owner;
  }

  /** Gives a lease back early (the work is done), if this window holds it. */
  async release(taskId: string, purpose: LeasePurpose): Promise<void> {
    const file = this.fileOf(taskId, purpose);
    if ((await this.read(file))?.owner === this.owner) await fs.rm(file, { force: true });
  }

  private fileOf(taskId: string, purpose: LeasePurpose): string {
    return path.join(this.dir, `${encodeURIComponent(taskId)}.${purpose}.lease`);
  }

  private async read(file: string): Promise<Lease | undefined> {
    try {
      const lease = JSON.parse(await fs.readFile(file, 'utf8')) as Lease;
      return typeof lease.owner === 'string' && typeof lease.expires === 'number' ? lease : undefined;
    } catch {
      return undefined; // missing or half-written: treated as free
    }
  }
}

/** True when the lease's extension host ran on this machine and is gone (the window was reloaded or closed). */
function heldByEndedProcess(lease: Lease): boolean {
  if (lease.pid === undefined || lease.host !== os.hostname() || lease.pid === process.pid) return false;
  try {
    process.kill(lease.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
