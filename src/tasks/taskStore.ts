// Every task this extension knows, kept in extension storage so it survives reloads and restarts.
// One storage key per task, so two windows writing different tasks never overwrite each other.
// A removed task leaves a tombstone under a key of its own, so another window's later write cannot bring it back.
import { Disposable } from '../common/lifecycle';
import { randomUUID } from 'node:crypto';
import { Emitter } from './emitter';
import type { TaskRecord } from './taskRecord';

/** The part of vscode.Memento the store needs (globalState satisfies it). */
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
  keys(): readonly string[];
}

const KEY_PREFIX = 'wan.task.';
/** `wan.removed.<task id>` holds when the task was removed (epoch ms). */
const REMOVED_PREFIX = 'wan.removed.';
/** Long after any window could still be working on a removed task. */
const TOMBSTONE_KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/** What is stored under each key: the record and a stamp that changes with every write. */
interface StoredTask {
  stamp: string;
  record: TaskRecord;
}

export class TaskStore extends Disposable {
  private readonly tasks = new Map<string, StoredTask>();
  private readonly changed = this._register(new Emitter<TaskRecord | undefined>());
  private writing: Promise<void> = Promise.resolve();
  /** Tasks with a write not yet in storage: a sync must not bring back their older stored version. */
  private readonly unwritten = new Map<string, number>();

  /** Fires with the record that changed, or undefined when several did. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: KeyValueStorage, private readonly now: () => number = Date.now) {
    super();
    this.readAll();
    this.dropRemoved();
  }

  /** Newest first. */
  all(): TaskRecord[] {
    return [...this.tasks.values()].map((t) => t.record).sort((a, b) => b.createdAt - a.createdAt);
  }

  get(taskId: string): TaskRecord | undefined {
    return this.tasks.get(taskId)?.record;
  }

  /** Resolves once the record is written to storage. */
  add(record: TaskRecord): Promise<void> {
    return this.write(record);
  }

  update(taskId: string, patch: Partial<TaskRecord>): Promise<void> {
    const current = this.tasks.get(taskId);
    if (!current) return Promise.resolve();
    return this.write({ ...current.record, ...patch });
  }

  remove(taskIds: readonly string[]): Promise<void> {
    for (const id of taskIds) this.tasks.delete(id);
    this.changed.fire(undefined);
    const removedAt = this.now();
    return this.enqueue(async () => {
      for (const id of taskIds) {
        await this.storage.update(REMOVED_PREFIX + id, removedAt);
        await this.storage.update(KEY_PREFIX + id, undefined);
      }
    });
  }

  /**
   * Takes in what other windows wrote since the last look (storage is shared between windows).
   * Returns the ids of the tasks that changed.
   */
  syncFromStorage(): string[] {
    const before = new Map([...this.tasks].map(([id, t]) => [id, t.stamp]));
    // Only a removal (its tombstone) takes a task away: a record storage lacks is one whose write is on its way or
    // failed, or a read behind the writes, and the service made and bills that task.
    const keep = [...this.tasks.values()].filter(({ record: { taskId } }) => !this.isRemoved(taskId)
      && (this.unwritten.has(taskId) || this.storage.get(KEY_PREFIX + taskId) === undefined));
    this.tasks.clear();
    this.readAll();
    for (const task of keep) this.tasks.set(task.record.taskId, task);
    const changed = [...this.tasks.keys()].filter((id) => before.get(id) !== this.tasks.get(id)?.stamp);
    const removed = [...before.keys()].filter((id) => !this.tasks.has(id));
    if (removed.length > 0 || changed.length > 1) this.changed.fire(undefined);
    else if (changed.length === 1) this.changed.fire(this.tasks.get(changed[0])?.record);
    return [...changed, ...removed];
  }

  private readAll(): void {
    for (const key of this.storage.keys()) {
      if (!key.startsWith(KEY_PREFIX)) continue;
      const stored = this.storage.get<StoredTask>(key);
      const id = stored?.record?.taskId;
      if (typeof id === 'string' && !this.isRemoved(id)) this.tasks.set(id, stored!);
    }
  }

  private isRemoved(taskId: string): boolean {
    return this.storage.get(REMOVED_PREFIX + taskId) !== undefined;
  }

  /** Deletes what another window wrote after a removal, and tombstones old enough to be forgotten. */
  private dropRemoved(): void {
    const forgetBefore = this.now() - TOMBSTONE_KEEP_MS;
    const stale: string[] = [];
    for (const key of this.storage.keys()) {
      if (!key.startsWith(REMOVED_PREFIX)) continue;
      const recordKey = KEY_PREFIX + key.slice(REMOVED_PREFIX.length);
      if (this.storage.get(recordKey) !== undefined) stale.push(recordKey);
      const removedAt = this.storage.get<number>(key);
      if (typeof removedAt !== 'number' || removedAt < forgetBefore) stale.push(key);
    }
    if (stale.length === 0) return;
    // A cleanup that fails is done at the next start.
    this.enqueue(async () => {
      for (const key of stale) await this.storage.update(key, undefined);
    }).catch(() => undefined);
  }

  private write(record: TaskRecord): Promise<void> {
    const id = record.taskId;
    // Removed in another window meanwhile: the removal wins.
    if (this.isRemoved(id)) {
      if (this.tasks.delete(id)) this.changed.fire(undefined);
      return Promise.resolve();
    }
    const stored: StoredTask = { stamp: randomUUID(), record };
    this.tasks.set(id, stored);
    this.unwritten.set(id, (this.unwritten.get(id) ?? 0) + 1);
    this.changed.fire(record);
    return this.enqueue(() => this.storage.update(KEY_PREFIX + id, stored)).finally(() => {
      const left = (this.unwritten.get(id) ?? 1) - 1;
      if (left > 0) this.unwritten.set(id, left);
      else this.unwritten.delete(id);
    });
  }

  /** Writes are chained so a slow write never lands after a newer one. */
  private enqueue(write: () => Thenable<void>): Promise<void> {
    this.writing = this.writing.catch(() => undefined).then(write);
    return this.writing;
  }
}
