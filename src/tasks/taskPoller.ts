// One scheduler for every task query: a single timer for the soonest due task, never a timer per task.
import { WanError } from '../wan/errors';
import { isTerminal, type WanTask } from '../wan/task';
import { isActive, SERVICE_RETENTION_MS, type TaskRecord } from './taskRecord';
import type { TaskStore } from './taskStore';

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface TaskPollerOptions {
  store: TaskStore;
  queryTask(record: TaskRecord, signal: AbortSignal): Promise<WanTask>;
  /** Called once when a task reaches a terminal status. */
  onFinished(record: TaskRecord): void;
  /** False when another window polls this task now (see taskLeases.ts); absent means always ours. */
  claim?(taskId: string): Promise<boolean>;
  log?(message: string): void;
  clock?: Clock;
  random?: () => number;
  /** Multiplies every delay; tests and benchmarks run the real schedule faster. */
  timeScale?: number;
  maxConcurrent?: number;
}

const SECOND = 1000;
const MAX_BACKOFF_MS = 5 * 60 * SECOND;
/** How soon to look again at a task another window polls: its lease may have run out by then. */
const CLAIM_RETRY_MS = 30 * SECOND;

/**
 * How long to wait before the next query of a task that is still going.
 * Queued tasks are checked less often the longer they wait; running ones often at first
 * (short clips finish in about a minute), then every 15 s (most take 1–5 minutes).
 */
export function nextPollDelay(record: TaskRecord, now: number): number {
  if (record.status === 'RUNNING') {
    const runningFor = now - (record.runningSeenAt ?? now);
    return clamp(runningFor / 10, 3 * SECOND, 15 * SECOND);
  }
  const waitingFor = now - record.createdAt;
  return clamp(waitingFor / 4, 5 * SECOND, 30 * SECOND);
}

/** Delay after the n-th consecutive failed query (n ≥ 1), never shorter than the service asked for. */
export function backoffDelay(failures: number, retryAfterMs: number | undefined, retryable: boolean): number {
  const base = retryable ? 2 * SECOND : 30 * SECOND;
  const delay = Math.min(base * 2 ** (failures - 1), MAX_BACKOFF_MS);
  return Math.max(delay, retryAfterMs ?? 0);
}

interface Due { at: number; failures: number }

export class TaskPoller {
  private readonly due = new Map<string, Due>();
  private readonly inFlight = new Set<string>();
  private readonly abort = new AbortController();
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly timeScale: number;
  private readonly maxConcurrent: number;
  private timer: unknown;
  private timerAt = Infinity;

  constructor(private readonly options: TaskPollerOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.timeScale = options.timeScale ?? 1;
    this.maxConcurrent = options.maxConcurrent ?? 4;
  }

  /** Picks up every unfinished task in the store: after a create, a reload or a restart. */
  async resumeAll(): Promise<void> {
    const now = this.clock.now();
    for (const record of this.options.store.all()) {
      if (!isActive(record) || this.due.has(record.taskId)) continue;
      if (await this.expireIfTooOld(record, now)) continue;
      this.schedule(record.taskId, 0, 0);
    }
  }

  /** Query this task soon (a new task, or the user asked for a refresh). */
  pollSoon(taskId: string, delayMs = 0): void {
    this.schedule(taskId, delayMs * this.timeScale, this.due.get(taskId)?.failures ?? 0);
  }

  /** Query every unfinished task now. */
  async refreshAll(): Promise<void> {
    this.due.clear();
    await this.resumeAll();
  }

  /** Stop tracking a task (removed by the user). */
  forget(taskId: string): void {
    this.due.delete(taskId);
  }

  get pendingCount(): number {
    return this.due.size + this.inFlight.size;
  }

  dispose(): void {
    this.abort.abort();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.due.clear();
  }

  private schedule(taskId: string, delayMs: number, failures: number): void {
    if (this.abort.signal.aborted) return;
    this.due.set(taskId, { at: this.clock.now() + delayMs, failures });
    this.armTimer();
  }

  private armTimer(): void {
    // With every slot busy, the next finishing query re-arms the timer.
    if (this.abort.signal.aborted || this.inFlight.size >= this.maxConcurrent) return;
    let soonest = Infinity;
    for (const entry of this.due.values()) soonest = Math.min(soonest, entry.at);
    if (soonest === Infinity || soonest >= this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = soonest;
    this.timer = this.clock.setTimeout(() => this.runDue(), Math.max(0, soonest - this.clock.now()));
  }

  private runDue(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    const ready = [...this.due.entries()].filter(([, entry]) => entry.at <= now).sort((a, b) => a[1].at - b[1].at);
    for (const [taskId, entry] of ready) {
      if (this.inFlight.size >= this.maxConcurrent) break;
      this.due.delete(taskId);
      this.inFlight.add(taskId);
      void this.poll(taskId, entry.failures).finally(() => {
        this.inFlight.delete(taskId);
        this.armTimer();
      });
    }
    this.armTimer();
  }

  private async poll(taskId: string, failures: number): Promise<void> {
    const record = this.options.store.get(taskId);
    if (!record || !isActive(record)) return;
    const now = this.clock.now();
    if (await this.expireIfTooOld(record, now)) return;
    if (this.options.claim && !(await this.options.claim(taskId))) {
      this.schedule(taskId, CLAIM_RETRY_MS * this.timeScale, failures);
      return;
    }
    try {
      const task = await this.options.queryTask(record, this.abort.signal);
      await this.apply(record, task);
    } catch (error) {
      if (this.abort.signal.aborted) return;
      await this.fail(record, error, failures + 1);
    }
  }

  private async apply(record: TaskRecord, task: WanTask): Promise<void> {
    const now = this.clock.now();
    const patch = patchFromTask(task, now);
    if (task.status === 'RUNNING' && record.runningSeenAt === undefined) patch.runningSeenAt = now;
    if (record.status !== task.status) this.options.log?.(`task ${record.taskId}: ${record.status} → ${task.status}`);
    await this.options.store.update(record.taskId, patch);
    const updated = this.options.store.get(record.taskId);
    if (!updated) return;
    if (isTerminal(task.status)) {
      this.options.onFinished(updated);
    } else {
      this.schedule(record.taskId, this.jitter(nextPollDelay(updated, now)) * this.timeScale, 0);
    }
  }

  private async fail(record: TaskRecord, error: unknown, failures: number): Promise<void> {
    const now = this.clock.now();
    if (error instanceof WanError && error.kind === 'not-found') {
      await this.options.store.update(record.taskId, { status: 'UNKNOWN', finishedAt: now, lastError: undefined, message: error.message });
      const updated = this.options.store.get(record.taskId);
      if (updated) this.options.onFinished(updated);
      return;
    }
    const wanError = error instanceof WanError ? error : undefined;
    const message = error instanceof Error ? error.message : String(error);
    const delay = backoffDelay(failures, wanError?.retryAfterMs, wanError?.retryable ?? true);
    this.options.log?.(`task ${record.taskId}: query failed (${message}); next try in ${Math.round(delay / SECOND)} s`);
    await this.options.store.update(record.taskId, { lastError: message });
    this.schedule(record.taskId, this.jitter(delay) * this.timeScale, failures);
  }

  private async expireIfTooOld(record: TaskRecord, now: number): Promise<boolean> {
    if (now - record.createdAt < SERVICE_RETENTION_MS) return false;
    this.options.log?.(`task ${record.taskId}: older than 24 h, marked expired`);
    await this.options.store.update(record.taskId, { status: 'EXPIRED', finishedAt: now });
    return true;
  }

  /** ±10 %, so tasks created together do not query in lockstep. */
  private jitter(ms: number): number {
    return ms * (0.9 + 0.2 * this.random());
  }
}

/** The fields of a query answer worth keeping on the record. */
export function patchFromTask(task: WanTask, now: number): Partial<TaskRecord> {
  const patch: Partial<TaskRecord> = { status: task.status, lastError: undefined, finalResponse: task.raw };
  if (task.requestId) patch.requestId = task.requestId;
  if (task.submitTime !== undefined) patch.submitTime = task.submitTime;
  if (task.scheduledTime !== undefined) patch.scheduledTime = task.scheduledTime;
  if (task.endTime !== undefined) patch.endTime = task.endTime;
  if (task.videoUrl) {
    patch.videoUrl = task.videoUrl;
    patch.videoUrlReceivedAt = now;
  }
  if (task.code) patch.code = task.code;
  if (task.message) patch.message = task.message;
  if (task.usage) patch.usage = task.usage;
  if (task.actualPrompt) patch.actualPrompt = task.actualPrompt;
  if (isTerminal(task.status)) patch.finishedAt = now;
  return patch;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
