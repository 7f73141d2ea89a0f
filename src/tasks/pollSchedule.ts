// When to ask about a task next: aimed at when it will most likely end, from what the service said (queued or
// running, and since when) and how long this user's earlier tasks of the same size ran. All times are service time.
import { clamp } from '../common/math';
import { endpointKey, isActive, type RecordStatus, type TaskRecord } from './taskRecord';

const SECOND = 1000;

/** How long a task runs, as a log-normal: the median and the spread of ln(duration). */
export interface RunTimeEstimate {
  medianMs: number;
  spread: number;
}

/** The size of a clip, which decides how long it takes to make. */
export interface ClipSize {
  resolution?: string;
  duration?: number;
}

const PRIOR_SPREAD = 0.5;
/** How many finished tasks the guess from the clip's size counts as. */
const PRIOR_WEIGHT = 0.5;
/** Even identical runs differ a little; never trust history to be tighter than this. */
const MIN_SPREAD = 0.08;

/** Before any task of this size finished here: a wide guess from the clip's size. */
export function priorEstimate(size: ClipSize): RunTimeEstimate {
  const perOutputSecond = size.resolution === '1080P' ? 32 * SECOND : 16 * SECOND;
  return { medianMs: 40 * SECOND + perOutputSecond * (size.duration ?? 5), spread: PRIOR_SPREAD };
}

/** Combines the running times of earlier tasks of the same size with the guess from the size. */
export function estimateRunTime(pastRunMs: readonly number[], prior: RunTimeEstimate): RunTimeEstimate {
  const logs = pastRunMs.filter((ms) => ms > 0).map(Math.log);
  if (logs.length === 0) return prior;
  const center = median(logs);
  // The median absolute deviation: one task stuck behind a hiccup does not widen the estimate much.
  const sampleSpread = Math.max(MIN_SPREAD, 1.4826 * median(logs.map((l) => Math.abs(l - center))));
  const n = logs.length;
  const mu = (PRIOR_WEIGHT * Math.log(prior.medianMs) + n * center) / (PRIOR_WEIGHT + n);
  const variance = (PRIOR_WEIGHT * prior.spread ** 2 + n * sampleSpread ** 2) / (PRIOR_WEIGHT + n);
  return { medianMs: Math.exp(mu), spread: Math.sqrt(variance) };
}

/** Finished tasks of the same size whose running times make the estimate. */
const HISTORY_SIZE = 20;

/** The estimate for clips of `size` and model, from the latest succeeded ones among `records` (newest first). */
export function estimateFromHistory(records: readonly TaskRecord[], size: ClipSize & { model: string }, timeScale = 1): RunTimeEstimate {
  const { model, resolution, duration } = size;
  const past: number[] = [];
  for (const other of records) {
    if (past.length >= HISTORY_SIZE) break;
    const p = other.params;
    if (other.status !== 'SUCCEEDED' || p.model !== model || p.resolution !== resolution || p.duration !== duration) continue;
    // Both times come from the service's clock, so their difference does not depend on the local one.
    if (other.scheduledTime !== undefined && other.endTime !== undefined) past.push((other.endTime - other.scheduledTime) / timeScale);
  }
  return estimateRunTime(past, priorEstimate({ resolution, duration }));
}

/** Where a task stands. */
export interface TaskProgress {
  status: RecordStatus;
  /** Service time since it started running; known only once it runs. */
  runningMs?: number;
  /** Unfinished tasks on the same account created before this one: while queued, it waits for them. */
  tasksAhead?: number;
}

/**
 * Where `record` stands among `records` (the whole task list) at `now`, local time; `timeScale` is real ms per ms of
 * service time.
 */
export function taskProgress(record: TaskRecord, records: readonly TaskRecord[], now: number, timeScale = 1): TaskProgress {
  if (record.status !== 'RUNNING') return { status: record.status, tasksAhead: tasksAhead(record, records) };
  return { status: record.status, runningMs: Math.max(0, now - runStart(record, now)) / timeScale };
}

function tasksAhead(record: TaskRecord, records: readonly TaskRecord[]): number {
  const endpoint = endpointKey(record);
  let ahead = 0;
  for (const other of records) {
    if (other.createdAt < record.createdAt && isActive(other) && endpointKey(other) === endpoint) ahead++;
  }
  return ahead;
}

/**
 * When the task started running, on the local clock: its queue time on the service's clock added to when the
 * create call answered here; else when it was first seen running.
 */
function runStart(record: TaskRecord, now: number): number {
  const seen = record.runningSeenAt ?? now;
  if (record.scheduledTime === undefined || record.submitTime === undefined) return seen;
  return Math.min(seen, record.createdAt + Math.max(0, record.scheduledTime - record.submitTime));
}

/** The gap between queries at the median run time is the spread (in ms) divided by this. */
const GAPS_PER_SPREAD = 6;
const MIN_GAP = 1.5 * SECOND;
const MAX_CLOSE_GAP = 5 * SECOND;
/** Longest silence about a task: a failure or a very early end is seen within it. */
const MAX_GAP = 30 * SECOND;
/** The documented interval, for tasks that run far past their likely end. */
const LATE_MAX_GAP = 15 * SECOND;
const MIN_QUEUED_GAP = 5 * SECOND;
/** A task far back in the account's line still shows when it starts within this. */
const MAX_QUEUED_GAP = 2 * 60 * SECOND;
/** Tasks one account runs at once; the others wait in line (wan-api.md). */
const RUNNING_AT_ONCE = 5;

/**
 * How long to wait before the next query of a task that is still going.
 * - Queued: the service says when a task started running, so the start need not be caught as it happens;
 *   a third of the earliest likely end between queries is enough never to miss it. A task behind a full set
 *   of running ones cannot start before some of them end, so it is asked even less.
 * - Running: queries are densest around the likely end and thin out on both sides, in proportion to the square
 *   root of the chance of ending at that moment (for a given number of queries, that spacing gives the shortest
 *   expected wait for the video): every few seconds near the median; long before it, a quarter of the median
 *   at most (and 30 s); long after it, the documented 15 s.
 */
export function nextPollDelay(progress: TaskProgress, estimate: RunTimeEstimate): number {
  const { medianMs, spread } = estimate;
  if (progress.status !== 'RUNNING' || progress.runningMs === undefined) {
    const shortestLikely = medianMs * Math.exp(-2 * spread);
    // The first turn may come at once (a running task is about to end); each further one takes a whole run.
    const turns = Math.max(1, Math.floor((progress.tasksAhead ?? 0) / RUNNING_AT_ONCE));
    return clamp((turns * shortestLikely) / 3, MIN_QUEUED_GAP, turns > 1 ? MAX_QUEUED_GAP : MAX_GAP);
  }
  const closest = clamp((medianMs * spread) / GAPS_PER_SPREAD, MIN_GAP, MAX_CLOSE_GAP);
  // How many spreads the task is from the median (far below it at the start).
  const z = (Math.log(Math.max(progress.runningMs, 1)) - Math.log(medianMs)) / spread;
  // Before the median, an end far earlier than usual is seen within a quarter of the usual run (and 30 s).
  const longest = z < 0 ? clamp(medianMs / 4, MIN_QUEUED_GAP, MAX_GAP) : LATE_MAX_GAP;
  return Math.min(closest * Math.exp((z * z) / 4), longest);
}

const MAX_BACKOFF_MS = 5 * 60 * SECOND;

/** Delay after the n-th consecutive failed query (n ≥ 1), never shorter than the service asked for. */
export function backoffDelay(failures: number, retryAfterMs: number | undefined, retryable: boolean): number {
  const base = retryable ? 2 * SECOND : 30 * SECOND;
  const delay = Math.min(base * 2 ** (failures - 1), MAX_BACKOFF_MS);
  return Math.max(delay, retryAfterMs ?? 0);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
