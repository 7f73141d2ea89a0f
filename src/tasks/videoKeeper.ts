// Saves each finished video at once: a unique name beside its sidecar JSON, never over an existing file.
import { Disposable, toDisposable } from '../common/lifecycle';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { exists } from '../common/files';
import { silentLog, type Log } from '../common/log';
import { errorMessage } from '../common/text';
import { WanError } from '../wan/errors';
import type { GenerationParams } from '../wan/params';
import type { WanTask } from '../wan/task';
import { needsDownload, patchFromTask, type TaskRecord } from './taskRecord';
import { costLabel, costOf } from './spending';
import type { TaskStore } from './taskStore';
import { sidecarPath, writeSidecar } from './sidecar';

export interface VideoKeeperOptions {
  store: TaskStore;
  /** Streams `url` to `target` (complete or nothing); see src/wan/download.ts. */
  download(url: string, target: string, signal: AbortSignal): Promise<{ path: string; bytes: number }>;
  /** Asks the service again for the task, to get a fresh link when the old one expired. */
  requery(record: TaskRecord, signal: AbortSignal): Promise<WanTask>;
  folderFor(record: TaskRecord): string;
  /** The create call's body for the sidecar (toCreateBody, which activation does not load). */
  requestOf(params: GenerationParams): object;
  onSaved(record: TaskRecord): void;
  onFailed(record: TaskRecord, message: string): void;
  /** False when another window downloads this task (see taskLeases.ts); called again to extend the claim. */
  claim?(taskId: string): Promise<boolean>;
  release?(taskId: string): Promise<void>;
  /** How often a running download extends its claim, and how soon a download another window holds is asked for again. */
  claimIntervalMs?: number;
  log?: Log;
  now?(): number;
}

/** See VideoKeeperOptions.claimIntervalMs. */
const CLAIM_INTERVAL_MS = 30_000;

export class VideoKeeper extends Disposable {
  private readonly running = new Map<string, Promise<void>>();
  /** Names handed to downloads still in progress: two tasks finishing together must not pick the same one. */
  private readonly reserved = new Set<string>();
  /** Downloads another window holds, each with the timer that asks for it again: that window may close. */
  private readonly waiting = new Map<string, NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private readonly claimIntervalMs: number;
  private readonly log: Log;

  constructor(private readonly options: VideoKeeperOptions) {
    super();
    this._register(toDisposable(() => {
      this.abort.abort();
      for (const timer of this.waiting.values()) clearTimeout(timer);
      this.waiting.clear();
    }));
    this.now = options.now ?? Date.now;
    this.claimIntervalMs = options.claimIntervalMs ?? CLAIM_INTERVAL_MS;
    this.log = options.log ?? silentLog;
  }

  /** Downloads the task's video unless it is on disk already or being fetched. */
  keep(taskId: string): Promise<void> {
    const existing = this.running.get(taskId);
    if (existing) return existing;
    clearTimeout(this.waiting.get(taskId));
    this.waiting.delete(taskId);
    const job = this.run(taskId).finally(() => this.running.delete(taskId));
    this.running.set(taskId, job);
    return job;
  }

  /** Every succeeded task whose video is missing: after a restart, say. */
  keepAllPending(): void {
    for (const record of this.options.store.all()) {
      if (needsDownload(record)) void this.keep(record.taskId);
    }
  }

  /**
   * Tasks another window changed (see TaskStore.syncFromStorage): a video it saves, or is about to, is watched here
   * and taken over if that window goes away. A failed one waits for the user or the next start, or the windows
   * would retry it back and forth.
   */
  keepChanged(taskIds: readonly string[]): void {
    for (const taskId of taskIds) {
      const record = this.options.store.get(taskId);
      const watched = this.running.has(taskId) || this.waiting.has(taskId);
      if (record && !watched && needsDownload(record) && record.download.state !== 'failed') void this.keep(taskId);
    }
  }

  private async run(taskId: string): Promise<void> {
    const { store, claim, release } = this.options;
    let record = store.get(taskId);
    if (!record || record.status !== 'SUCCEEDED' || record.download.state === 'done') return;
    let claimed = false;
    let renew: NodeJS.Timeout | undefined;
    // Every step, the claim included, ends in the catch: a failure shows on the task, which keeps Download Video.
    try {
      if (claim && !(await claim(taskId))) {
        this.askAgainLater(taskId);
        return;
      }
      claimed = true;
      if (claim) renew = setInterval(() => claim(taskId).catch((error) => this.log.warn(`task ${taskId}: the download's lease was not extended: ${errorMessage(error)}`)), this.claimIntervalMs);
      // Another window may have saved it just before this one got the claim.
      store.syncFromStorage();
      record = store.get(taskId);
      if (!record || record.download.state === 'done') return;
      const folder = this.options.folderFor(record);
      await fs.mkdir(folder, { recursive: true });
      const saved = await this.downloadWithFreshLink(record, folder);
      record = store.get(taskId) ?? record;
      await writeSidecar(saved.path, sidecarContent(record, saved.path, this.now(), this.options.requestOf));
      await store.update(taskId, { download: { state: 'done', path: saved.path, bytes: saved.bytes, at: this.now() } });
      this.log.info(`task ${taskId}: video saved to ${saved.path} (${saved.bytes} bytes)`);
      const done = store.get(taskId);
      if (done) this.options.onSaved(done);
    } catch (error) {
      if (this.abort.signal.aborted) return;
      await this.reportFailure(taskId, errorMessage(error));
    } finally {
      clearInterval(renew);
      if (claimed) await release?.(taskId).catch((error) => this.log.warn(`task ${taskId}: the download's lease was not given back: ${errorMessage(error)}`));
    }
  }

  /** Another window downloads it: ask again, as a poll does, until it is saved or that window's lease runs out. */
  private askAgainLater(taskId: string): void {
    if (this.abort.signal.aborted) return;
    this.waiting.set(taskId, setTimeout(() => {
      this.waiting.delete(taskId);
      void this.keep(taskId);
    }, this.claimIntervalMs));
  }

  private async reportFailure(taskId: string, message: string): Promise<void> {
    this.log.warn(`task ${taskId}: download failed: ${message}`);
    // Shown even when it cannot be stored: the record in memory has it.
    // Kept for the retry: a .part left by a full disk is resumed into the same name.
    const previous = this.options.store.get(taskId)?.download;
    const path = previous?.state === 'downloading' || previous?.state === 'failed' ? previous.path : undefined;
    await this.options.store.update(taskId, { download: { state: 'failed', error: message, at: this.now(), path } })
      .catch((error) => this.log.error(`task ${taskId}: the failed download could not be stored: ${errorMessage(error)}`));
    const failed = this.options.store.get(taskId);
    if (failed) this.options.onFailed(failed, message);
  }

  private async downloadWithFreshLink(record: TaskRecord, folder: string): Promise<{ path: string; bytes: number }> {
    const signal = this.abort.signal;
    let url = record.videoUrl;
    if (!url) url = await this.refreshLink(record, signal);
    try {
      return await this.downloadTo(url, folder, record);
    } catch (error) {
      if (!(error instanceof WanError && error.kind === 'link-expired')) throw error;
      this.log.info(`task ${record.taskId}: the video link was refused; asking the service for a fresh one`);
      return this.downloadTo(await this.refreshLink(record, signal), folder, record);
    }
  }

  private async downloadTo(url: string, folder: string, record: TaskRecord): Promise<{ path: string; bytes: number }> {
    const target = await this.targetFor(folder, record);
    await this.options.store.update(record.taskId, { download: { state: 'downloading', path: target } });
    try {
      return await this.options.download(url, target, this.abort.signal);
    } finally {
      this.reserved.delete(target);
    }
  }

  /** The name a download cut off by a restart or stopped by a full disk was writing, else a new unique one. */
  private async targetFor(folder: string, record: TaskRecord): Promise<string> {
    const previous = this.options.store.get(record.taskId)?.download;
    if ((previous?.state === 'downloading' || previous?.state === 'failed') && previous.path && !this.reserved.has(previous.path) && !(await exists(previous.path))) {
      this.reserved.add(previous.path);
      return previous.path;
    }
    return reserveVideoPath(folder, record, this.now(), this.reserved);
  }

  private async refreshLink(record: TaskRecord, signal: AbortSignal): Promise<string> {
    const task = await this.options.requery(record, signal);
    await this.options.store.update(record.taskId, patchFromTask(task, this.now()));
    if (!task.videoUrl) {
      throw new Error(l10n.t('The service no longer gives a link for this video: it keeps results for 24 hours after the task ends.'));
    }
    return task.videoUrl;
  }
}

/**
 * Picks `<prompt file or first words>-<yyyymmdd-hhmmss>-seed<seed>.mp4`, with `-2`, `-3`… when taken on disk
 * or by another download, and adds it to `reserved` (the caller removes it when done).
 */
export async function reserveVideoPath(folder: string, record: TaskRecord, now: number, reserved: Set<string>): Promise<string> {
  const base = `${slug(record.source.label)}-${timestamp(new Date(now))}-seed${record.params.seed ?? 'random'}`;
  for (let n = 1; ; n++) {
    const candidate = path.join(folder, `${base}${n === 1 ? '' : `-${n}`}.mp4`);
    if (reserved.has(candidate)) continue;
    reserved.add(candidate); // before any await, so a concurrent caller skips it
    const taken = await Promise.all([candidate, `${candidate}.part`, sidecarPath(candidate)].map(exists));
    if (!taken.includes(true)) return candidate;
    reserved.delete(candidate);
  }
}

/** Everything needed to reproduce the video; never the key. */
export function sidecarContent(record: TaskRecord, videoPath: string, now: number, requestOf: (params: GenerationParams) => object): object {
  return {
    video: path.basename(videoPath),
    taskId: record.taskId,
    endpointHost: new URL(record.baseUrl).host,
    request: requestOf(record.params),
    // Each input as written, its SHA-256 and size, and how it went: the request above carries no file's bytes.
    media: record.media,
    response: record.finalResponse,
    // The usage as read from the answer above: seconds billed, fps, input and output video seconds.
    usage: record.usage,
    // Those seconds times the price the task was submitted at, and where that price comes from.
    cost: sidecarCost(record),
    source: record.source,
    createdAt: new Date(record.createdAt).toISOString(),
    downloadedAt: new Date(now).toISOString(),
  };
}

function sidecarCost(record: TaskRecord): object | undefined {
  if (!record.price) return undefined;
  const cost = costOf(record);
  return { ...(cost.kind === 'billed' && { amount: Math.round(cost.amount * 10000) / 10000, seconds: cost.seconds }), price: record.price, text: costLabel(record) };
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Letters, digits and their combining marks (Hindi and Thai need them), at most 40 characters as a reader counts them. */
export function slug(text: string): string {
  const words = text
    .normalize('NFKC')
    .replace(/\.wanprompt$/i, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  const characters = [...graphemes.segment(words)].slice(0, 40).map((g) => g.segment);
  return characters.join('').replace(/-+$/, '') || 'video';
}

function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}
