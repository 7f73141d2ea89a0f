// One scheduler for every task query: a single timer for the soonest due work, never a timer per task.
// It asks the service as little as it can: each task is queried when it is likely to have ended (pollSchedule.ts),
// one list call stands for the single queries of every task on an endpoint that has one, and a budget caps the
// queries per second of all tasks together.
import { Disposable, toDisposable } from '../common/lifecycle';
import * as l10n from '@vscode/l10n';
import { WanError } from '../wan/errors';
import { isTerminal, type WanTask } from '../wan/task';
import { systemClock, type Clock } from '../common/clock';
import { silentLog, type Log } from '../common/log';
import { errorMessage } from '../common/text';
import { backoffDelay, estimateFromHistory, nextPollDelay, taskProgress, type RunTimeEstimate } from './pollSchedule';
import { endpointKey, isActive, isFinished, patchFromTask, progressPatch, SERVICE_RETENTION_MS, type TaskRecord } from './taskRecord';
import type { TaskStore } from './taskStore';

/** The tasks a list call asks for: created within [startTime, endTime] (epoch ms), newest first, one page. */
export interface ListWindow {
  startTime: number;
  endTime: number;
  pageSize: number;
}

export interface TaskPollerOptions {
  store: TaskStore;
  queryTask(record: TaskRecord, signal: AbortSignal): Promise<WanTask>;
  /**
   * The account's tasks on the endpoint of `record` (items carry status and times, not the video link).
   * Absent: every task is queried on its own.
   */
  listTasks?(record: TaskRecord, window: ListWindow, signal: AbortSignal): Promise<WanTask[]>;
  /** Called once when a task reaches a terminal status. */
  onFinished(record: TaskRecord): void;
  /** False when another window polls this task now (see taskLeases.ts); absent means always ours. */
  claim?(taskId: string): Promise<boolean>;
  log?: Log;
  clock?: Clock;
  random?: () => number;
  /** Real milliseconds per millisecond of service time; tests and benchmarks run the real schedule faster. */
  timeScale?: number;
  maxConcurrent?: number;
  /** Most queries started within any second of service time, all tasks together (the service allows 20). */
  maxQueriesPerSecond?: number;
}

const SECOND = 1000;
/** How soon to look again at a task another window polls: its lease may have run out by then. */
const CLAIM_RETRY_MS = 30 * SECOND;
const LIST_PAGE_SIZE = 100;
/** Widens a list call's window on both sides: the local clock and the service's may disagree. */
const LIST_CLOCK_MARGIN_MS = 10 * 60 * SECOND;

/** A query's place in the budget: when it was sent (or, until then, when it was decided). */
interface Slot {
  at: number;
}

interface Due {
  at: number;
  failures: number;
  /** Query this task on its own: a list call said it ended (the link comes only with a query), or did not show it. */
  single?: boolean;
  /** Ask once about a task that ended UNKNOWN (Refresh): a passing 404 may have ended it. */
  recheck?: boolean;
}

export class TaskPoller extends Disposable {
  private readonly due = new Map<string, Due>();
  /** Task ids, and `list <endpoint>` for list calls, with a request under way. */
  private readonly inFlight = new Set<string>();
  private readonly abort = new AbortController();
  private readonly clock: Clock;
  private readonly log: Log;
  private readonly random: () => number;
  private readonly timeScale: number;
  private readonly maxConcurrent: number;
  private readonly maxQueriesPerSecond: number;
  /** When the latest queries were sent (at most maxQueriesPerSecond of them), real ms. */
  private readonly recentStarts: Slot[] = [];
  private timer: unknown;
  private timerAt = Infinity;
  /** Endpoints whose list call failed: their tasks are queried one by one from then on. */
  private readonly noList = new Set<string>();
  private readonly estimates = new Map<string, RunTimeEstimate>();

  constructor(private readonly options: TaskPollerOptions) {
    super();
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLog;
    this.random = options.random ?? Math.random;
    this.timeScale = options.timeScale ?? 1;
    this.maxConcurrent = options.maxConcurrent ?? 4;
    this.maxQueriesPerSecond = Math.max(1, Math.floor(options.maxQueriesPerSecond ?? 2));
    // A task that ended (or a change of many) may add to the history the estimates come from.
    this._register(options.store.onDidChange((record) => {
      if (!record || !isActive(record)) this.estimates.clear();
    }));
    this._register(toDisposable(() => {
      this.abort.abort();
      if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.due.clear();
    }));
  }

  /** Picks up every unfinished task in the store: after a create, a reload or a restart. */
  resumeAll(): void {
    for (const record of this.options.store.all()) {
      if (isActive(record) && !this.due.has(record.taskId)) this.schedule(record.taskId, 0, 0);
    }
  }

  /** Query this task soon (a new task, or the user asked for a refresh); the delay is in service time. */
  pollSoon(taskId: string, delayMs = 0): void {
    this.schedule(taskId, delayMs * this.timeScale, this.due.get(taskId)?.failures ?? 0);
  }

  /** Query every unfinished task now, and every UNKNOWN one the service may still keep. */
  refreshAll(): void {
    this.due.clear();
    this.resumeAll();
    const now = this.clock.now();
    for (const record of this.options.store.all()) {
      if (record.status === 'UNKNOWN' && now - record.createdAt < SERVICE_RETENTION_MS) this.schedule(record.taskId, 0, 0, { single: true, recheck: true });
    }
  }

  /** Stop tracking a task (removed by the user). */
  forget(taskId: string): void {
    this.due.delete(taskId);
  }

  private schedule(taskId: string, delayMs: number, failures: number, how: Pick<Due, 'single' | 'recheck'> = {}): void {
    if (this.abort.signal.aborted) return;
    this.due.set(taskId, { at: this.clock.now() + delayMs, failures, ...how });
    this.armTimer();
  }

  private armTimer(): void {
    // With every slot busy, the next finishing request re-arms the timer.
    if (this.abort.signal.aborted || this.inFlight.size >= this.maxConcurrent) return;
    let soonest = Infinity;
    for (const entry of this.due.values()) soonest = Math.min(soonest, entry.at);
    if (soonest === Infinity) return;
    soonest = Math.max(soonest, this.nextQueryAllowedAt());
    if (soonest >= this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = soonest;
    this.timer = this.clock.setTimeout(() => this.runDue(), Math.max(0, soonest - this.clock.now()));
  }

  private runDue(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    // When the budget is short, running tasks go first: one of them is what ends next.
    const running = (taskId: string) => (this.options.store.get(taskId)?.status === 'RUNNING' ? 0 : 1);
    const ready = [...this.due.entries()]
      .filter(([, entry]) => entry.at <= now)
      .sort((a, b) => running(a[0]) - running(b[0]) || a[1].at - b[1].at);
    for (const [taskId, entry] of ready) {
      if (this.inFlight.size >= this.maxConcurrent || this.nextQueryAllowedAt() > now) break;
      if (this.due.get(taskId) !== entry) continue; // taken along by a list call started in this loop
      const record = this.options.store.get(taskId);
      if (!record || !(isActive(record) || entry.recheck)) {
        this.due.delete(taskId);
        continue;
      }
      const slot: Slot = { at: now };
      this.recentStarts.push(slot);
      if (this.recentStarts.length > this.maxQueriesPerSecond) this.recentStarts.shift();
      // A task past 24 h gets a query of its own: the last look, which a list answer (without the link) cannot be.
      const members = entry.single || entry.recheck || pastRetention(record, now) ? undefined : this.listMembers(record, now);
      if (members) {
        for (const [id] of members) this.due.delete(id);
        this.start(`list ${endpointKey(record)}`, () => this.listRound(record, members, slot));
      } else {
        this.due.delete(taskId);
        this.start(taskId, () => this.poll(taskId, entry, slot));
      }
    }
    this.armTimer();
  }

  /** A query may start once the one maxQueriesPerSecond starts back is a second old: never more in any second. */
  private nextQueryAllowedAt(): number {
    if (this.recentStarts.length < this.maxQueriesPerSecond) return -Infinity;
    return this.recentStarts[0].at + SECOND * this.timeScale;
  }

  private start(key: string, work: () => Promise<void>): void {
    this.inFlight.add(key);
    void work().finally(() => {
      this.inFlight.delete(key);
      this.armTimer();
    });
  }

  /** Every waiting task on this record's endpoint, when one list call is worth more than a single query. */
  private listMembers(record: TaskRecord, now: number): [string, Due][] | undefined {
    const endpoint = endpointKey(record);
    if (!this.options.listTasks || this.noList.has(endpoint) || this.inFlight.has(`list ${endpoint}`)) return undefined;
    const members = [...this.due.entries()].filter(([id, entry]) => {
      const other = this.options.store.get(id);
      return !entry.single && !entry.recheck && other !== undefined && endpointKey(other) === endpoint && !pastRetention(other, now);
    });
    return members.length >= 2 ? members : undefined;
  }

  private async poll(taskId: string, entry: Due, slot: Slot): Promise<void> {
    try {
      const record = this.options.store.get(taskId);
      if (!record || !(isActive(record) || entry.recheck)) return;
      if (!(await this.mayQuery(record, entry.failures))) return;
      slot.at = this.clock.now();
      const task = await this.options.queryTask(record, this.abort.signal);
      if (pastRetention(record, this.clock.now()) && !isTerminal(task.status)) return this.expire(record, `still ${task.status}`);
      await this.apply(task);
    } catch (error) {
      if (this.abort.signal.aborted) return;
      await this.fail(taskId, error, entry.failures + 1);
    }
  }

  /** One list call for many tasks; each listed task counts as queried. */
  private async listRound(sample: TaskRecord, members: [string, Due][], slot: Slot): Promise<void> {
    const asked: [TaskRecord, Due][] = [];
    for (const [taskId, entry] of members) {
      const record = this.options.store.get(taskId);
      if (!record || !isActive(record)) continue;
      try {
        if (await this.mayQuery(record, entry.failures)) asked.push([record, entry]);
      } catch (error) {
        await this.fail(taskId, error, entry.failures + 1);
      }
    }
    if (asked.length === 0) return;
    const now = this.clock.now();
    const endTime = now + LIST_CLOCK_MARGIN_MS;
    const oldest = Math.min(...asked.map(([record]) => record.createdAt));
    const window = { startTime: Math.max(oldest - LIST_CLOCK_MARGIN_MS, endTime - SERVICE_RETENTION_MS), endTime, pageSize: LIST_PAGE_SIZE };
    let listed: Map<string, WanTask>;
    slot.at = this.clock.now();
    try {
      listed = new Map((await this.options.listTasks!(sample, window, this.abort.signal)).map((task) => [task.taskId, task]));
    } catch (error) {
      if (this.abort.signal.aborted) return;
      // Whatever the reason (no list call, a key that may not list, a failing gateway), the single query may work.
      this.noList.add(endpointKey(sample));
      this.log.warn(`${hostOf(sample)} failed a list call (${errorMessage(error)}); querying tasks one by one`);
      for (const [record, entry] of asked) this.due.set(record.taskId, entry);
      return;
    }
    for (const [record, entry] of asked) {
      const task = listed.get(record.taskId);
      // Not on the first page, or outside the window: asked on its own when due.
      if (!task) this.due.set(record.taskId, { ...entry, single: true });
      // Only a query of the task itself gives the video link and the failure's details.
      else if (isTerminal(task.status)) this.schedule(record.taskId, 0, 0, { single: true });
      else await this.apply(task);
    }
  }

  /** False when another window polls the task: it is not queried now. */
  private async mayQuery(record: TaskRecord, failures: number): Promise<boolean> {
    if (this.options.claim && !(await this.options.claim(record.taskId))) {
      this.schedule(record.taskId, CLAIM_RETRY_MS * this.timeScale, failures);
      return false;
    }
    return true;
  }

  private async apply(task: WanTask): Promise<void> {
    const record = this.options.store.get(task.taskId);
    if (!record) return;
    const now = this.clock.now();
    if (record.status !== task.status) this.log.info(`task ${record.taskId}: ${record.status} → ${task.status}`);
    if (isTerminal(task.status)) {
      if (isFinished(record) && record.status === task.status) return this.endedAsBefore(record);
      await this.save(record.taskId, patchFromTask(task, now));
      const finished = this.options.store.get(record.taskId);
      if (finished) this.options.onFinished(finished);
      return;
    }
    // Written only when something changed: every write reaches storage and redraws the task.
    const patch = progressPatch(record, task, now);
    if (patch) await this.save(record.taskId, patch);
    const updated = this.options.store.get(record.taskId);
    if (!updated) return;
    const delay = nextPollDelay(taskProgress(updated, this.options.store.all(), now, this.timeScale), this.estimateFor(updated));
    this.schedule(record.taskId, this.jitter(delay) * this.timeScale, 0);
  }

  private async fail(taskId: string, error: unknown, failures: number): Promise<void> {
    const now = this.clock.now();
    const record = this.options.store.get(taskId);
    if (error instanceof WanError && error.kind === 'not-found') {
      if (record?.status === 'UNKNOWN') return this.endedAsBefore(record);
      await this.save(taskId, { status: 'UNKNOWN', finishedAt: now, lastError: undefined, message: error.message });
      const updated = this.options.store.get(taskId);
      if (updated) this.options.onFinished(updated);
      return;
    }
    // The last look found nothing: the service keeps a task 24 h, so it is gone or out of reach.
    if (record && isActive(record) && pastRetention(record, now)) return this.expire(record, `got no answer (${errorMessage(error)})`, problemText(error));
    const wanError = error instanceof WanError ? error : undefined;
    const delay = backoffDelay(failures, wanError?.retryAfterMs, wanError?.retryable ?? true);
    this.log.warn(`task ${taskId}: query failed (${errorMessage(error)}); next try in ${Math.round(delay / SECOND)} s`);
    this.schedule(taskId, this.jitter(delay) * this.timeScale, failures);
    await this.save(taskId, { lastError: problemText(error) });
  }

  /** Writes a change to a task. The store holds it at once, so when storage fails (disk full, no permission) polling goes on and the failure shows on the task. */
  private async save(taskId: string, patch: Partial<TaskRecord>): Promise<void> {
    try {
      await this.options.store.update(taskId, patch);
    } catch (error) {
      this.log.error(`task ${taskId}: could not save its state (${errorMessage(error)})`);
      // This write fails too while storage does; it is for the task's tooltip, from memory.
      this.options.store.update(taskId, { lastError: problemText(error) }).catch(() => undefined);
    }
  }

  /** A Refresh found an ended task as it was: nothing to tell again, but a problem shown on it is over. */
  private async endedAsBefore(record: TaskRecord): Promise<void> {
    if (record.lastError !== undefined) await this.save(record.taskId, { lastError: undefined });
  }

  /** After the last look at a task older than 24 h found it unfinished, or failed (`problem`, shown on the task). */
  private async expire(record: TaskRecord, found: string, problem?: string): Promise<void> {
    this.log.info(`task ${record.taskId}: older than 24 h and ${found} at the last look; marked expired`);
    await this.save(record.taskId, { status: 'EXPIRED', finishedAt: this.clock.now(), lastError: problem });
  }

  /** From this user's latest finished tasks of the same model and size; kept until a task ends. */
  private estimateFor(record: TaskRecord): RunTimeEstimate {
    const { model, resolution, duration } = record.params;
    const key = `${model} ${resolution} ${duration}`;
    let estimate = this.estimates.get(key);
    if (!estimate) {
      estimate = estimateFromHistory(this.options.store.all(), record.params, this.timeScale);
      this.estimates.set(key, estimate);
    }
    return estimate;
  }

  /** ±10 %, so tasks created together do not query in lockstep. */
  private jitter(ms: number): number {
    return ms * (0.9 + 0.2 * this.random());
  }
}

/** Older than the service keeps tasks, by the local create time. */
function pastRetention(record: TaskRecord, now: number): boolean {
  return now - record.createdAt >= SERVICE_RETENTION_MS;
}

function hostOf(record: TaskRecord): string {
  try {
    return new URL(record.baseUrl).host;
  } catch {
    return record.baseUrl;
  }
}

/** What the task's tooltip says about a failure: a failing disk or permission of the extension's own storage in plain words. */
function problemText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (error instanceof WanError || typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return errorMessage(error);
  return l10n.t('The extension could not write to its storage folder ({0}). Free disk space or fix the folder\'s permissions; the task is tried again meanwhile.', errorMessage(error));
}
