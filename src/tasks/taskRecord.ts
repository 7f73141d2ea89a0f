// What the extension remembers of one task: enough to poll it, show it, download it and repeat it.
import type { EndpointId } from '../wan/endpoints';
import type { GenerationParams } from '../wan/params';
import { isTerminal, type TaskStatus, type TaskUsage, type WanTask } from '../wan/task';
import type { MediaRecord } from './mediaTransport';
import type { MoneyRange, UnitPrice } from './spending';

/** The service's statuses, plus EXPIRED: older than the service keeps tasks (24 h) and never finished here. */
export type RecordStatus = TaskStatus | 'EXPIRED';

export type DownloadState =
  | { state: 'none' }
  /** `path`: the file being written, so a download cut off by a restart resumes into the same name. */
  | { state: 'downloading'; path?: string }
  | { state: 'done'; path: string; bytes: number; at: number }
  /** `path`: the file that was being written; a .part kept after a full disk is resumed into that name. */
  | { state: 'failed'; error: string; at: number; path?: string };

export interface TaskSource {
  kind: 'selection' | 'file' | 'input';
  /** Short name for the tree and file names: the prompt file's name or the prompt's first words. */
  label: string;
  /** The document the prompt came from, as a URI string. */
  uri?: string;
  /** The workspace folder the prompt came from, as a URI string: its `wan-videos/` receives the video. */
  workspaceFolder?: string;
  /** The title (### line) of the prompt in a prompt file with several: how its CodeLens finds its tasks. */
  promptTitle?: string;
  /** Tasks submitted together (a prompt's variants, a whole file): the Tasks view groups them under their file. */
  batch?: string;
  /** Made by an agent through this Language Model Tool (its name), after the user confirmed it; absent for the user's own. */
  agentTool?: string;
}

export interface TaskRecord {
  taskId: string;
  endpoint: EndpointId;
  baseUrl: string;
  params: GenerationParams;
  source: TaskSource;
  /** How each of `params.media` went (inline, upload, link) and the hash of its file then, for the sidecar and Regenerate. */
  media?: MediaRecord[];
  /** The price it was submitted at (absent for tasks made before prices were kept): what it cost is its billed seconds times this. */
  price?: UnitPrice;
  /** What it was expected to cost, in the price's currency; absent where the price is unknown. */
  estimate?: MoneyRange;
  status: RecordStatus;
  /** Local clock, epoch ms, when the create call answered. */
  createdAt: number;
  requestId?: string;
  submitTime?: number;
  scheduledTime?: number;
  endTime?: number;
  /** When this extension first saw the task RUNNING (the service's own times may be absent). */
  runningSeenAt?: number;
  finishedAt?: number;
  videoUrl?: string;
  videoUrlReceivedAt?: number;
  code?: string;
  message?: string;
  usage?: TaskUsage;
  actualPrompt?: string;
  /** The last query's full answer, kept for the sidecar file. */
  finalResponse?: unknown;
  /** A passing problem shown on the task (throttling, network), cleared by the next good answer. */
  lastError?: string;
  download: DownloadState;
  /**
   * What the user chose when comparing takes: kept (a star in the tree, `"kept": true` in the sidecar), or discarded
   * (the video and sidecar went to the trash; `download` still says where the file was, so it is never fetched again).
   */
  choice?: 'kept' | 'discarded';
}

/** A video on disk to show: downloaded and not discarded. */
export function hasVideo(record: TaskRecord): boolean {
  return record.download.state === 'done' && record.choice !== 'discarded';
}

export const SERVICE_RETENTION_MS = 24 * 60 * 60 * 1000;

const FINISHED: ReadonlySet<RecordStatus> = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN', 'EXPIRED']);

export function isFinished(record: TaskRecord): boolean {
  return FINISHED.has(record.status);
}

export function isActive(record: TaskRecord): boolean {
  return !isFinished(record);
}

/**
 * A succeeded task whose video is not on disk yet (being downloaded included). No age limit: the link lives 24 h
 * from the task's end, not its create, and a task the service has forgotten turns UNKNOWN at the next look.
 */
export function needsDownload(record: TaskRecord): boolean {
  return record.status === 'SUCCEEDED' && record.download.state !== 'done';
}

/**
 * What Clear Finished removes: finished tasks whose video is on disk or that have none. It keeps the succeeded
 * ones whose video is not saved (downloading, failed, not started): removing them would lose the link and Retry Download.
 */
export function tasksToClear(records: readonly TaskRecord[]): { clear: TaskRecord[]; keep: TaskRecord[] } {
  const finished = records.filter(isFinished);
  return { clear: finished.filter((r) => !needsDownload(r)), keep: finished.filter(needsDownload) };
}

/** How long a task took, by the service's own submit and end times when it gave them; else, or while it goes on, by the local clock. */
export function elapsedOf(record: TaskRecord, now: number): number {
  if (isFinished(record) && record.submitTime !== undefined && record.endTime !== undefined) return record.endTime - record.submitTime;
  return (record.finishedAt ?? now) - record.createdAt;
}

/** The endpoint and address a task lives at: the tasks one list call can answer for. */
export function endpointKey(record: TaskRecord): string {
  return `${record.endpoint} ${record.baseUrl}`;
}

/** The fields of a query answer worth keeping on the record. */
export function patchFromTask(task: WanTask, now: number): Partial<TaskRecord> {
  // The code and message are the answer's own, even when absent: an earlier 404's message must not stay.
  const patch: Partial<TaskRecord> = { status: task.status, lastError: undefined, finalResponse: task.raw, code: task.code, message: task.message };
  if (task.requestId) patch.requestId = task.requestId;
  if (task.submitTime !== undefined) patch.submitTime = task.submitTime;
  if (task.scheduledTime !== undefined) patch.scheduledTime = task.scheduledTime;
  if (task.endTime !== undefined) patch.endTime = task.endTime;
  if (task.videoUrl) {
    patch.videoUrl = task.videoUrl;
    patch.videoUrlReceivedAt = now;
  }
  if (task.usage) patch.usage = task.usage;
  if (task.actualPrompt) patch.actualPrompt = task.actualPrompt;
  // When the service says it ended (the extension may have been closed then), but never a time still to come.
  if (isTerminal(task.status)) patch.finishedAt = Math.min(task.endTime ?? now, now);
  return patch;
}

/** What a still-running task's answer adds to the record; undefined when nothing. */
export function progressPatch(record: TaskRecord, task: WanTask, now: number): Partial<TaskRecord> | undefined {
  const patch: Partial<TaskRecord> = {};
  if (task.status !== record.status) patch.status = task.status;
  if (task.submitTime !== undefined && task.submitTime !== record.submitTime) patch.submitTime = task.submitTime;
  if (task.scheduledTime !== undefined && task.scheduledTime !== record.scheduledTime) patch.scheduledTime = task.scheduledTime;
  if (task.status === 'RUNNING' && record.runningSeenAt === undefined) patch.runningSeenAt = now;
  if (record.lastError !== undefined) patch.lastError = undefined;
  // Refresh found going a task that had ended UNKNOWN (a passing 404): it is no longer finished.
  if (isFinished(record)) {
    patch.finishedAt = undefined;
    patch.message = undefined;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
