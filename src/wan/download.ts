// Saves a result video: streamed to <target>.part, resumed with Range after a broken connection, renamed when complete.
import { promises as fs } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as l10n from '@vscode/l10n';
import { checkDownloadUrl } from './endpoints';
import { WanError, textSnippet } from './errors';
import { abortedError, networkError, send, type HttpResponse, type Timeouts } from './http';

export interface DownloadOptions {
  signal?: AbortSignal;
  /** default 5 */
  maxAttempts?: number;
  timeouts?: Timeouts;
  onProgress?: (receivedBytes: number, totalBytes?: number) => void;
  /** wait before the second attempt; grows linearly with each attempt (default 1000) */
  retryDelayMs?: number;
}

const DEFAULT_TIMEOUTS: Required<Timeouts> = { connectMs: 15_000, headersMs: 30_000, bodyMs: 30_000 };
const MAX_REDIRECTS = 5;
/** Bytes gathered before a write: one write per network chunk (16–64 KB) would make writing the bottleneck. */
const WRITE_BATCH_BYTES = 1024 * 1024;

interface Progress {
  /** bytes in the .part file */
  received: number;
  /** full size of the video when the server said it */
  total?: number;
}

interface Context {
  partPath: string;
  signal?: AbortSignal;
  timeouts: Required<Timeouts>;
  onProgress?: (receivedBytes: number, totalBytes?: number) => void;
}

function existsError(targetPath: string): WanError {
  return new WanError({
    kind: 'invalid-request',
    message: l10n.t('{0} already exists; the download does not overwrite it.', targetPath),
    advice: l10n.t('Choose another file name, or move the existing file away first.'),
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}

export async function downloadVideo(url: string, targetPath: string, options: DownloadOptions = {}): Promise<{ path: string; bytes: number }> {
  const checked = checkDownloadUrl(url);
  if ('problem' in checked) throw new WanError({ kind: 'insecure-url', message: checked.problem });
  if (await exists(targetPath)) throw existsError(targetPath);
  if (options.signal?.aborted) throw abortedError();

  const context: Context = {
    partPath: `${targetPath}.part`,
    signal: options.signal,
    timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
    onProgress: options.onProgress,
  };
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const progress: Progress = { received: 0 };
  // Truncates a .part left by an earlier run: its origin is unknown, so it is not resumed.
  await fs.writeFile(context.partPath, '');
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await fetchOnce(checked.url, progress, context);
        break;
      } catch (error) {
        const failure = error instanceof WanError ? error : networkError(error, checked.url, context);
        if (!failure.retryable || attempt >= maxAttempts) throw failure;
        await pause(retryDelayMs * attempt, context.signal);
      }
    }
    await moveIntoPlace(context.partPath, targetPath);
    return { path: targetPath, bytes: progress.received };
  } catch (error) {
    await fs.rm(context.partPath, { force: true });
    throw error;
  }
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw abortedError();
  }
}

/** Renames without ever replacing a file that appeared meanwhile: link() fails if the target exists. */
async function moveIntoPlace(partPath: string, targetPath: string): Promise<void> {
  try {
    await fs.link(partPath, targetPath);
    await fs.rm(partPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(targetPath);
    // Some file systems have no hard links; fall back to check-then-rename.
    if (await exists(targetPath)) throw existsError(targetPath);
    await fs.rename(partPath, targetPath);
  }
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function contentLength(response: HttpResponse): number | undefined {
  const value = header(response, 'content-length');
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** "bytes 100-199/1000" -> start 100, total 1000 (total undefined for "*"). */
function contentRange(response: HttpResponse): { start: number; total?: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header(response, 'content-range')?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

async function readSnippet(response: HttpResponse): Promise<string> {
  let text = '';
  for await (const chunk of response.body) {
    text += (chunk as Buffer).toString('utf8');
    if (text.length > 16_384) break; // enough for a message; the rest is discarded
  }
  response.body.destroy();
  return textSnippet(text);
}

/** One attempt: follows redirects, then writes the body after what is already in the .part file. */
async function fetchOnce(start: URL, progress: Progress, context: Context): Promise<void> {
  let url = start;
  for (let hops = 0; ; hops++) {
    const headers: Record<string, string> = { accept: '*/*', 'accept-encoding': 'identity' };
    if (progress.received > 0) headers.range = `bytes=${progress.received}-`;
    const response = await send(url, { method: 'GET', headers, signal: context.signal, timeouts: context.timeouts });
    const status = response.statusCode;
    const location = header(response, 'location');
    if (status >= 300 && status < 400 && location) {
      await response.body.dump();
      if (hops >= MAX_REDIRECTS) {
        throw new WanError({ kind: 'bad-response', status, message: l10n.t('The result link redirected more than {0} times.', MAX_REDIRECTS) });
      }
      const next = checkDownloadUrl(new URL(location, url).href);
      if ('problem' in next) throw new WanError({ kind: 'insecure-url', message: l10n.t('The result link redirected to an address that is not allowed. {0}', next.problem) });
      url = next.url;
      continue;
    }
    if (status === 200) {
      // A full answer to a ranged request: the server ignores Range, so the file starts over.
      progress.received = 0;
      progress.total = contentLength(response);
    } else if (status === 206) {
      const range = contentRange(response);
      if (!range || range.start !== progress.received) {
        await response.body.dump();
        progress.received = 0;
        throw new WanError({ kind: 'bad-response', status, retryable: true, message: l10n.t('The storage answered a different part of the file than asked; starting over.') });
      }
      progress.total = range.total ?? (contentLength(response) ?? 0) + range.start;
    } else {
      throw await statusError(response, url);
    }
    await writeBody(response, url, progress, context);
    return;
  }
}

async function statusError(response: HttpResponse, url: URL): Promise<WanError> {
  const status = response.statusCode;
  const snippet = await readSnippet(response).catch(() => '');
  if (status === 403 || status === 404 || status === 410) {
    const message = snippet
      ? l10n.t('The result link answered HTTP {0} ("{1}"): it has expired or is not valid.', status, snippet)
      : l10n.t('The result link answered HTTP {0}: it has expired or is not valid.', status);
    return new WanError({ kind: 'link-expired', status, message });
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  const message = snippet
    ? l10n.t('The result storage at {0} answered HTTP {1} ("{2}").', url.host, status, snippet)
    : l10n.t('The result storage at {0} answered HTTP {1}.', url.host, status);
  return new WanError({ kind: status === 429 ? 'throttled' : 'server', status, retryable, message });
}

async function writeBody(response: HttpResponse, url: URL, progress: Progress, context: Context): Promise<void> {
  // 'w' when starting from zero (also discards a partial file after an ignored Range), 'a' to resume.
  const file = await fs.open(context.partPath, progress.received === 0 ? 'w' : 'a');
  const body = response.body;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let writing: Promise<void> | undefined;
  let writeFailed = false;
  // `received` counts only bytes on disk, where a resume starts.
  const writeBatch = async (): Promise<void> => {
    const buffers = batch;
    const bytes = batchBytes;
    batch = [];
    batchBytes = 0;
    if (bytes === 0) return;
    await file.writev(buffers);
    progress.received += bytes;
    context.onProgress?.(progress.received, progress.total);
  };
  try {
    // 'data' events rather than an async iterator: a promise per 64 KB chunk costs a quarter more CPU.
    await new Promise<void>((resolve, reject) => {
      // One batch goes to disk while the next arrives; when that one is full too, the body waits for the disk.
      const startWrite = () => {
        writing = writeBatch().then(() => {
          writing = undefined;
          if (batchBytes >= WRITE_BATCH_BYTES) startWrite();
          if (body.isPaused()) body.resume();
        }, (error: unknown) => {
          writing = undefined;
          writeFailed = true;
          body.destroy(error instanceof Error ? error : new Error(String(error)));
        });
      };
      let ended = false;
      body.on('data', (chunk: Buffer) => {
        batch.push(chunk);
        batchBytes += chunk.length;
        if (batchBytes < WRITE_BATCH_BYTES) return;
        if (writing) body.pause();
        else startWrite();
      });
      body.on('end', () => {
        ended = true;
        resolve();
      });
      body.on('error', reject);
      // Node's own words for a stream that closed without ending, as its async iterator would say.
      body.on('close', () => {
        if (!ended) reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
      });
    });
    while (writing) await writing;
    await writeBatch();
  } catch (error) {
    // What arrived before a broken connection is kept, so the next attempt resumes after it.
    while (writing) await writing;
    if (!writeFailed) await writeBatch().catch(() => undefined);
    throw networkError(error, url, context);
  } finally {
    await file.close();
  }
  if (progress.total !== undefined && progress.received !== progress.total) {
    const tooLong = progress.received > progress.total;
    if (tooLong) progress.received = 0;
    throw new WanError({
      kind: 'network',
      retryable: true,
      requestMayHaveBeenSent: true,
      message: tooLong
        ? l10n.t('The download from {0} is longer than announced ({1} bytes); starting over.', url.host, progress.total)
        : l10n.t('The download from {0} ended after {1} of {2} bytes.', url.host, progress.received, progress.total),
    });
  }
}
