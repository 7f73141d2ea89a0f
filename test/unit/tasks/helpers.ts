// Test doubles for the pure task modules: a storage like globalState and a clock tests move by hand.
import type { Clock } from '../../../src/common/clock';
import type { Log } from '../../../src/common/log';
import type { TaskRecord } from '../../../src/tasks/taskRecord';
import type { KeyValueStorage } from '../../../src/tasks/taskStore';

export class MemoryStorage implements KeyValueStorage {
  private readonly data = new Map<string, string>();
  writes = 0;

  get<T>(key: string): T | undefined {
    const value = this.data.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  update(key: string, value: unknown): Promise<void> {
    this.writes++;
    if (value === undefined) this.data.delete(key);
    else this.data.set(key, JSON.stringify(value));
    return Promise.resolve();
  }

  keys(): readonly string[] {
    return [...this.data.keys()];
  }
}

interface Timer { at: number; callback: () => void; id: number }

export class ManualClock implements Clock {
  private time = 1_750_000_000_000;
  private timers: Timer[] = [];
  private nextId = 1;
  /** The most timers that were pending at once. */
  maxPending = 0;

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer = { at: this.time + ms, callback, id: this.nextId++ };
    this.timers.push(timer);
    this.maxPending = Math.max(this.maxPending, this.timers.length);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward, firing due timers in order and letting the promises they start settle. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = Math.max(this.time, next.at);
      next.callback();
    }
    this.time = end;
    await settle();
  }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

export function makeRecord(taskId: string, overrides: Partial<TaskRecord> = {}): TaskRecord {
  return {
    taskId,
    endpoint: 'custom',
    baseUrl: 'http://127.0.0.1:9/api/v1',
    params: { model: 'wan2.7-t2v', prompt: 'A red fox in the snow', resolution: '720P', ratio: '16:9', duration: 5, promptExtend: true, watermark: false, seed: 7 },
    source: { kind: 'selection', label: 'A red fox in the snow' },
    status: 'PENDING',
    createdAt: Date.now(),
    download: { state: 'none' },
    ...overrides,
  };
}

/** A Log that appends every line, whatever its level, to `lines`. */
export function memoryLog(lines: string[]): Log {
  const push = (message: string | Error) => void lines.push(String(message));
  return { trace: push, debug: push, info: push, warn: push, error: push };
}
