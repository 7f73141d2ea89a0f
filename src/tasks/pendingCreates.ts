// A create whose answer never arrived, because the window closed first, may still have made and billed a task.
// A note in storage, from just before the request is sent until its record is stored, tells the next start about it.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { WanClient } from '../wan/client';
import type { EndpointId } from '../wan/endpoints';
import type { GenerationParams } from '../wan/params';
import type { WanTask } from '../wan/task';
import type { TaskSource } from './taskRecord';
import type { KeyValueStorage } from './taskStore';

const KEY_PREFIX = 'wan.pendingCreate.';
/** Longer than any create can take (connect, headers, three tries), for a note from another machine's window. */
const SURELY_OVER_MS = 10 * 60_000;
/** The list call looks this far around the moment the request left (the two clocks may differ a little). */
const LOOK_AROUND_MS = 2 * 60_000;

export interface SubmissionNote {
  params: GenerationParams;
  source: TaskSource;
  endpoint: EndpointId;
  baseUrl: string;
}

export interface PendingNote extends SubmissionNote {
  /** Epoch ms, just before the request was sent. */
  sentAt: number;
  /** The extension host that sent it. */
  host: string;
  pid: number;
}

export interface PendingCreatesOptions {
  /** This extension host (default: this machine and process). */
  owner?: { host: string; pid: number };
  /** Whether a process of this machine still runs. */
  isAlive?: (pid: number) => boolean;
  now?: () => number;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM'; // it exists, but belongs to someone else
  }
}

export class PendingCreates {
  private readonly owner: { host: string; pid: number };
  private readonly isAlive: (pid: number) => boolean;
  private readonly now: () => number;
  private readonly running = new Set<Promise<void>>();
  /** Set once the window closes with creates still unanswered: their notes must stay for the next start. */
  private abandoned = false;

  constructor(private readonly storage: KeyValueStorage, options: PendingCreatesOptions = {}) {
    this.owner = options.owner ?? { host: hostname(), pid: process.pid };
    this.isAlive = options.isAlive ?? processAlive;
    this.now = options.now ?? Date.now;
  }

  /**
   * Runs one create from the request to its stored record. `work` calls `beforeSend` right before the request
   * leaves (a create waiting for its turn writes no note); the note is removed once `work` settles.
   */
  run<T>(note: SubmissionNote, work: (beforeSend: () => Promise<void>) => Promise<T>): Promise<T> {
    const key = KEY_PREFIX + randomUUID();
    let written = false;
    const beforeSend = async () => {
      if (written) return;
      written = true;
      const pending: PendingNote = { ...note, sentAt: this.now(), ...this.owner };
      // The note is a safety net, not a gate: a storage that refuses it must not stop the create.
      await Promise.resolve(this.storage.update(key, pending)).catch(() => undefined);
    };
    const done = (async () => {
      try {
        return await work(beforeSend);
      } finally {
        if (written && !this.abandoned) await Promise.resolve(this.storage.update(key, undefined)).catch(() => undefined);
      }
    })();
    const settled = done.then(() => undefined, () => undefined);
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return done;
  }

  /** On deactivation: waits for the creates on their way, at most `ms`; false (and their notes stay) if some did not settle. */
  async settle(ms: number): Promise<boolean> {
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    const all = Promise.all([...this.running]).then(() => true as const);
    const settled = await Promise.race([all, timeout]);
    clearTimeout(timer);
    if (!settled) this.abandoned = true;
    return settled;
  }

  /** Notes left by a window that closed before its create was answered, oldest first. */
  left(): { key: string; note: PendingNote }[] {
    const now = this.now();
    return this.storage.keys()
      .filter((key) => key.startsWith(KEY_PREFIX))
      .map((key) => ({ key, note: this.storage.get<PendingNote>(key) }))
      .filter((entry): entry is { key: string; note: PendingNote } => entry.note !== undefined && typeof entry.note.sentAt === 'number')
      .filter(({ note }) => {
        if (note.host !== this.owner.host) return now - note.sentAt > SURELY_OVER_MS;
        return note.pid !== this.owner.pid && !this.isAlive(note.pid);
      })
      .sort((a, b) => a.note.sentAt - b.note.sentAt);
  }

  async forget(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.storage.update(key, undefined);
  }
}

/** The tasks of the note's model that the service created around the moment its request left, and that are not known here. */
export async function findLeftTasks(client: Pick<WanClient, 'listTasks'>, note: PendingNote, known: (taskId: string) => boolean): Promise<WanTask[]> {
  const found: WanTask[] = [];
  for (let pageNo = 1; ; pageNo++) {
    const page = await client.listTasks({
      startTime: new Date(note.sentAt - LOOK_AROUND_MS),
      endTime: new Date(note.sentAt + LOOK_AROUND_MS),
      modelName: note.params.model,
      pageNo,
      pageSize: 50,
    });
    found.push(...page.tasks.filter((task) => !known(task.taskId)));
    if (page.tasks.length < 50 || pageNo === 5) return found; // five pages are more than any minute holds
  }
}
