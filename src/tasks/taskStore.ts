// Every task this extension knows, kept in extension storage so it survives reloads and restarts.
import { Emitter } from './emitter';
import type { TaskRecord } from './taskRecord';

/** The part of vscode.Memento the store needs (globalState satisfies it). */
export interface KeyValueStorage {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const STORAGE_KEY = 'wan.tasks.v1';

export class TaskStore {
  private readonly records = new Map<string, TaskRecord>();
  private readonly changed = new Emitter<TaskRecord | undefined>();
  private writing: Promise<void> = Promise.resolve();

  /** Fires with the record that changed, or undefined when several did. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly storage: KeyValueStorage) {
    for (const record of storage.get<TaskRecord[]>(STORAGE_KEY) ?? []) {
      if (record && typeof record.taskId === 'string') this.records.set(record.taskId, record);
    }
  }

  /** Newest first. */
  all(): TaskRecord[] {
    return [...this.records.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  get(taskId: string): TaskRecord | undefined {
    return this.records.get(taskId);
  }

  /** Resolves once the record is written to storage. */
  add(record: TaskRecord): Promise<void> {
    this.records.set(record.taskId, record);
    this.changed.fire(record);
    return this.persist();
  }

  update(taskId: string, patch: Partial<TaskRecord>): Promise<void> {
    const current = this.records.get(taskId);
    if (!current) return Promise.resolve();
    const next = { ...current, ...patch };
    this.records.set(taskId, next);
    this.changed.fire(next);
    return this.persist();
  }

  remove(taskIds: readonly string[]): Promise<void> {
    for (const id of taskIds) this.records.delete(id);
    this.changed.fire(undefined);
    return this.persist();
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** Writes are chained so a slow write never lands after a newer one. */
  private persist(): Promise<void> {
    this.writing = this.writing
      .catch(() => undefined)
      .then(() => this.storage.update(STORAGE_KEY, this.all()));
    return this.writing;
  }
}
