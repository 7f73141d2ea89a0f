// Leases that let several VS Code windows share the task list: one window at a time polls or downloads a task.
// A lease is a small file in the extension's global storage; a window that closes lets its leases run out,
// and a reloaded one takes over at once the leases of its ended extension host.
import { createHash, randomUUID } from 'node:crypto';
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

/** A take-over in progress: its marker is left only by a window that ended in the middle of one. */
const TAKEOVER_MARKER_MS = 10_000;

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
    // A folder that could not be made is tried again next time (the disk may have been freed).
    this.ready ??= fs.mkdir(this.dir, { recursive: true }).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    await this.ready;
    return this.acquire(this.fileOf(taskId, purpose), ttlMs);
  }

  /** Gives a lease back early (the work is done), if this window holds it. */
  async release(taskId: string, purpose: LeasePurpose): Promise<void> {
    const file = this.fileOf(taskId, purpose);
    if ((await this.read(file))?.lease?.owner === this.owner) await fs.rm(file, { force: true });
  }

  private async acquire(file: string, ttlMs: number): Promise<boolean> {
    const mine = JSON.stringify({ owner: this.owner, expires: this.now() + ttlMs, pid: process.pid, host: os.hostname() } satisfies Lease);
    // A lease given back between the create and the read is free again: try once more.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await createExclusive(file, mine, this.temporaryOf(file))) return true;
      const current = await this.read(file);
      if (!current) continue;
      const { lease } = current;
      const live = lease !== undefined && lease.expires > this.now() && !heldByEndedProcess(lease);
      if (live && lease.owner !== this.owner) return false;
      // Our own live lease is written by no other window: extend it in place.
      if (live) return this.replace(file, mine);
      return this.takeOver(file, current.text, mine);
    }
    return false;
  }

  /**
   * Replaces a lease that ran out (or a broken file). Only the window that creates the marker named after the
   * exact content it found may: every other one racing for the same lease fails to create it and loses.
   */
  private async takeOver(file: string, staleText: string, mine: string): Promise<boolean> {
    const marker = `${file}.${createHash('sha256').update(staleText).digest('hex').slice(0, 16)}`;
    // The marker is itself a lease, so the marker of a window that ended mid take-over is taken over in turn.
    if (!(await this.acquire(marker, TAKEOVER_MARKER_MS))) return false;
    try {
      // A window that took it over and removed its marker before this one read the lease: nothing left to take.
      if ((await this.read(file))?.text !== staleText) return false;
      return await this.replace(file, mine);
    } finally {
      await fs.rm(marker, { force: true });
    }
  }

  /** Writes the lease atomically, then reads it back. */
  private async replace(file: string, mine: string): Promise<boolean> {
    const temporary = this.temporaryOf(file);
    await fs.writeFile(temporary, mine);
    await fs.rename(temporary, file);
    return (await this.read(file))?.lease?.owner === this.owner;
  }

  private temporaryOf(file: string): string {
    return `${file}.${this.owner}`;
  }

  private fileOf(taskId: string, purpose: LeasePurpose): string {
    return path.join(this.dir, `${encodeURIComponent(taskId)}.${purpose}.lease`);
  }

  /** The file's text and, when it holds one, its lease (a half-written file has none: free to take); undefined when missing. */
  private async read(file: string): Promise<{ text: string; lease?: Lease } | undefined> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const lease = JSON.parse(text) as Lease;
      return { text, lease: typeof lease.owner === 'string' && typeof lease.expires === 'number' ? lease : undefined };
    } catch {
      return { text };
    }
  }
}

/** False when the file exists already. Linked from a written copy, so no reader ever sees it half-written. */
async function createExclusive(file: string, content: string, temporary: string): Promise<boolean> {
  await fs.writeFile(temporary, content);
  try {
    await fs.link(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fs.rm(temporary, { force: true });
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
