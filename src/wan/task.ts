// A task as the service reports it, read from either response shape the API is known to use.
import * as l10n from '@vscode/l10n';
import { asRecord, type Json } from '../common/json';
import { WanError, classifyServiceCode } from './errors';

export type TaskStatus = 'PENDING' | 'RUNNING' | 'SUSPENDED' | 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'UNKNOWN';

export interface TaskUsage {
  /** seconds billed, a float for Wan 3.0 (10.04) */
  duration?: number;
  fps?: number;
  /** seconds of an input video (edit, extension) and of the video made */
  inputVideoDuration?: number;
  outputVideoDuration?: number;
  ratio?: string;
  sr?: number;
  videoCount?: number;
}

export interface WanTask {
  taskId: string;
  status: TaskStatus;
  /** epoch ms; the service sends zone-less strings in Beijing time (UTC+8) */
  submitTime?: number;
  scheduledTime?: number;
  endTime?: number;
  videoUrl?: string;
  origPrompt?: string;
  actualPrompt?: string;
  code?: string;
  message?: string;
  usage?: TaskUsage;
  requestId?: string;
  /** the response body as received */
  raw: unknown;
}

const STATUS_WORDS: Record<string, TaskStatus> = {
  pending: 'PENDING',
  queued: 'PENDING',
  submitted: 'PENDING',
  running: 'RUNNING',
  processing: 'RUNNING',
  in_progress: 'RUNNING',
  suspended: 'SUSPENDED',
  succeeded: 'SUCCEEDED',
  completed: 'SUCCEEDED',
  success: 'SUCCEEDED',
  failed: 'FAILED',
  failure: 'FAILED',
  canceled: 'CANCELED',
  cancelled: 'CANCELED',
  unknown: 'UNKNOWN',
};

const TERMINAL: ReadonlySet<TaskStatus> = new Set<TaskStatus>(['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN']);

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL.has(status);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** First defined value of `key` across the records, in order. */
function pick(records: (Json | undefined)[], ...keys: string[]): unknown {
  for (const record of records) {
    if (!record) continue;
    for (const key of keys) {
      if (record[key] !== undefined && record[key] !== null) return record[key];
    }
  }
  return undefined;
}

/** The service writes its zone-less times in Beijing time: UTC+8 all year. */
const BEIJING_OFFSET_MS = 8 * 3600_000;

/** YYYYMMDDhhmmss in Beijing time, as the list call expects. */
export function beijingStamp(date: Date): string {
  return new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** "2025-09-29 14:18:52.331" (Beijing time), an ISO string with a zone, or epoch ms/s as a number. */
function parseServiceTime(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value < 1e11 ? value * 1000 : value; // epoch seconds from some resellers
  }
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3})\d*)?$/.exec(value.trim());
  if (m) {
    const [, y, mo, d, h, mi, s, ms] = m;
    const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, ms ? Number(ms.padEnd(3, '0')) : 0);
    return utc - BEIJING_OFFSET_MS;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

function parseStatus(value: unknown): TaskStatus | undefined {
  if (typeof value !== 'string') return undefined;
  return STATUS_WORDS[value.trim().toLowerCase()];
}

/** Absent fields are left out rather than set to undefined, so a task compares and serialises cleanly. */
function withoutUndefined<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}

function parseUsage(usage: Json | undefined): TaskUsage | undefined {
  if (!usage) return undefined;
  const result: TaskUsage = {
    duration: num(pick([usage], 'duration', 'video_duration', 'output_video_duration')),
    fps: num(usage.fps),
    inputVideoDuration: num(usage.input_video_duration),
    outputVideoDuration: num(usage.output_video_duration),
    ratio: text(pick([usage], 'ratio', 'video_ratio')),
    sr: num(pick([usage], 'SR', 'sr')),
    videoCount: num(usage.video_count),
  };
  return Object.values(result).some((v) => v !== undefined) ? withoutUndefined(result) : undefined;
}

function badResponse(message: string): WanError {
  return new WanError({ kind: 'bad-response', message });
}

export function parseTask(body: unknown): WanTask {
  const top = asRecord(body);
  if (!top) throw badResponse(l10n.t('The service\'s answer has no JSON object, so it is not a Wan task.'));
  const output = asRecord(top.output);
  // The native shape keeps the task in `output`; the alternative one at the top level.
  const where = [output, top];
  const taskId = text(pick(where, 'task_id', 'id'));
  if (!taskId) throw badResponse(l10n.t('The service\'s answer has no task id, so it is not a Wan task.'));
  const rawStatus = pick(where, 'task_status', 'status');
  const status = parseStatus(rawStatus);
  if (!status) {
    throw badResponse(rawStatus === undefined
      ? l10n.t('The service\'s answer has no task status, so it is not a Wan task.')
      : l10n.t('The service\'s answer has an unknown task status "{0}", so it is not a Wan task.', String(rawStatus)));
  }
  const error = asRecord(top.error);
  const task: WanTask = {
    taskId,
    status,
    submitTime: parseServiceTime(pick(where, 'submit_time', 'gmt_create', 'created_at')),
    scheduledTime: parseServiceTime(pick(where, 'scheduled_time', 'start_time')),
    endTime: parseServiceTime(pick(where, 'end_time', 'completed_at')),
    videoUrl: text(pick(where, 'video_url', 'result_url')),
    origPrompt: text(pick(where, 'orig_prompt')),
    actualPrompt: text(pick(where, 'actual_prompt')),
    code: text(pick([output, error, top], 'code')),
    message: text(pick([output, error, top], 'message')) ?? (typeof top.error === 'string' ? top.error : undefined),
    usage: parseUsage(asRecord(pick([top, output], 'usage'))),
    requestId: text(top.request_id),
    raw: body,
  };
  return withoutUndefined(task);
}

export function failureReason(task: WanTask): string {
  switch (task.status) {
    case 'FAILED': {
      let head: string;
      if (task.code) head = task.message ? l10n.t('The task failed ({0}): {1}', task.code, task.message) : l10n.t('The task failed ({0}).', task.code);
      else head = task.message ? l10n.t('The task failed: {0}', task.message) : l10n.t('The task failed and gave no reason.');
      return l10n.t('{0} {1}', head, classifyServiceCode(task.code).advice);
    }
    case 'UNKNOWN':
      return l10n.t('The service does not know this task: it expired (tasks are kept 24 hours) or never existed.');
    case 'CANCELED':
      return l10n.t('The task was cancelled before it started.');
    default:
      return l10n.t('The task has not failed (status {0}).', task.status);
  }
}
