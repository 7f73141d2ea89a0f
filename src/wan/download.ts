// Saves a result video: streamed to <target>.part, resumed with Range after a broken connection,
// renamed when it is a whole MP4.
import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline, type Readable, type Transform } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import * as l10n from '@vscode/l10n';
import { exists } from '../common/files';
import { errorMessage } from '../common/text';
import { checkDownloadUrl } from './endpoints';
import { WanError } from './errors';
import { textSnippet } from './httpErrors';
import { abortedError, headerValue, networkError, send, type HttpResponse, type Timeouts } from './http';
import { mp4Shape } from './mp4';

export interface DownloadOptions {
  signal?: AbortSignal;
  /** default 5 */
  maxAttempts?: number;
  timeouts?: Timeouts;
  onProgress?: (receivedBytes: number, totalBytes?: number) => void;
  /** wait before the second attempt; grows linearly with each attempt (default 1000) */
  retryDelayMs?: number;
  /** Removes the .part once the video is linked into place; a test replaces it to fail as an antivirus does (EBUSY). */
  removeFile?: (path: string) => Promise<void>;
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
  /** ETag, else Last-Modified, of the object the .part holds the start of: a resume must continue that one */
  version?: string;
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

/** Failures of the local disk: retrying the network cannot help, and the .part stays for a resume. */
const diskErrors = new WeakSet<WanError>();

function diskError(error: unknown, partPath: string): WanError {
  if (error instanceof WanError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const folder = dirname(partPath);
  const message = code === 'ENOSPC' || code === 'EDQUOT'
    ? l10n.t('The disk holding {0} is full ({1}). Free some space there, or choose another output folder (setting wan.outputFolder), then retry the download: it continues where it stopped.', folder, code)
    : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? l10n.t('{0} cannot be written ({1}): the folder is read-only or belongs to someone else. Change its permissions, or choose another output folder (setting wan.outputFolder), then retry the download.', folder, code)
      : l10n.t('Could not write {0}: {1}. Check the output folder (setting wan.outputFolder), then retry the download.', partPath, errorMessage(error));
  const failure = new WanError({ kind: 'invalid-request', message, advice: l10n.t('Retry the download once the disk can take the file.'), cause: error });
  diskErrors.add(failure);
  return failure;
}

/** Bytes of a .part left by an earlier attempt (a full disk, a restart): the keeper never gives its name to another task. */
async function partSize(partPath: string): Promise<number> {
  try {
    return (await fs.stat(partPath)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw diskError(error, partPath);
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
  try {
    // A .part of another object is caught by the length and ETag of the first answer and by the MP4 check.
    const progress: Progress = { received: await partSize(context.partPath) };
    for (let attempt = 1; ; attempt++) {
      try {
        await fetchOnce(checked.url, progress, context);
        await checkWhole(checked.url, progress, context);
        break;
      } catch (error) {
        const failure = error instanceof WanError ? error : networkError(error, checked.url, context);
        if (!failure.retryable || attempt >= maxAttempts) throw failure;
        await pause(retryDelayMs * attempt, context.signal);
      }
    }
    await moveIntoPlace(context.partPath, targetPath, options.removeFile ?? ((path) => fs.rm(path)), retryDelayMs);
    return { path: targetPath, bytes: progress.received };
  } catch (error) {
    if (!(error instanceof WanError && diskErrors.has(error))) await fs.rm(context.partPath, { force: true });
    throw error;
  }
}

/** Without a length (or with a broken server) only the file's own structure says whether the video is whole. */
async function checkWhole(url: URL, progress: Progress, context: Context): Promise<void> {
  const shape = await mp4Shape(context.partPath).catch((error: unknown) => {
    throw diskError(error, context.partPath);
  });
  if (shape === 'whole') return;
  if (shape === 'short' && progress.total === undefined) {
    // Cut off where nothing could tell: like a broken connection, resumed after the last byte.
    throw new WanError({
      kind: 'network',
      retryable: true,
      requestMayHaveBeenSent: true,
      message: l10n.t('The download from {0} ended after {1} bytes, before the video was whole.', url.host, progress.received),
    });
  }
  throw new WanError({ kind: 'bad-response', message: l10n.t('The file from {0} is not a whole MP4 video ({1} bytes). Retry the download later; if it stays broken, generate the video again.', url.host, progress.received) });
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw abortedError();
  }
}

/** Renames without ever replacing a file that appeared meanwhile: link() fails if the target exists. */
async function moveIntoPlace(partPath: string, targetPath: string, removeFile: (path: string) => Promise<void>, retryDelayMs: number): Promise<void> {
  try {
    await fs.link(partPath, targetPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(targetPath);
    // Some file systems have no hard links; fall back to check-then-rename.
    if (await exists(targetPath)) throw existsError(targetPath);
    await fs.rename(partPath, targetPath);
    return;
  }
  // The video is in place: a .part that cannot go yet (an antivirus holds it: EBUSY) is only a second name for it.
  await removeFile(partPath).catch(() => removeLater(partPath, removeFile, retryDelayMs * 5));
}

/** Tries a few more times in the background, without keeping the process alive. */
function removeLater(path: string, removeFile: (path: string) => Promise<void>, delayMs: number, triesLeft = 5): void {
  setTimeout(() => {
    removeFile(path).catch(() => {
      if (triesLeft > 1) removeLater(path, removeFile, delayMs * 2, triesLeft - 1);
    });
  }, delayMs).unref();
}

function contentLength(response: HttpResponse): number | undefined {
  const value = headerValue(response, 'content-length');
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** "bytes 100-199/1000" -> start 100, total 1000 (total undefined for "*"). */
function contentRange(response: HttpResponse): { start: number; total?: number } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(headerValue(response, 'content-range')?.trim() ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

/** The total a 416 names in its Content-Range, as in `bytes *\/1000`. */
function unsatisfiedRangeTotal(response: HttpResponse): number | undefined {
  const match = /^bytes \*\/(\d+)$/.exec(headerValue(response, 'content-range')?.trim() ?? '');
  return match ? Number(match[1]) : undefined;
}

/** A strong ETag, else Last-Modified: what If-Range accepts. */
function versionOf(response: HttpResponse): string | undefined {
  const etag = headerValue(response, 'etag');
  return etag && !etag.startsWith('W/') ? etag : headerValue(response, 'last-modified');
}

/** The decoder for an encoding the server used although asked for identity; null for one it cannot read. */
function decoderFor(response: HttpResponse): Transform | undefined | null {
  const encoding = headerValue(response, 'content-encoding')?.trim().toLowerCase();
  if (!encoding || encoding === 'identity') return undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  if (encoding === 'br') return createBrotliDecompress();
  return null;
}

/** Forgets the .part's contents: the next attempt asks for the whole file and overwrites it. */
function startOver(progress: Progress): void {
  progress.received = 0;
  progress.total = undefined;
  progress.version = undefined;
}

/** Discards an answer that does not continue the .part; the retry asks for the whole file. */
async function startOverAfter(response: HttpResponse, progress: Progress, message: string): Promise<WanError> {
  await response.body.dump();
  startOver(progress);
  return new WanError({ kind: 'bad-response', status: response.statusCode, retryable: true, message });
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
    if (progress.received > 0) {
      headers.range = `bytes=${progress.received}-`;
      // The rest of this same object, else the whole of the current one (200).
      if (progress.version) headers['if-range'] = progress.version;
    }
    const response = await send(url, { method: 'GET', headers, signal: context.signal, timeouts: context.timeouts });
    const status = response.statusCode;
    const location = headerValue(response, 'location');
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
    if (status === 416 && progress.received > 0) {
      const total = unsatisfiedRangeTotal(response);
      // Every byte is on disk already (the connection broke after the last one): done, if it is the same length.
      if (total === progress.received && (progress.total ?? total) === total) {
        await response.body.dump();
        return;
      }
      throw await startOverAfter(response, progress, l10n.t('The partial file is longer than the video at the link; starting over.'));
    }
    if (status !== 200 && status !== 206) throw await statusError(response, url);
    const decoder = decoderFor(response);
    if (decoder === null) {
      await response.body.dump();
      throw new WanError({
        kind: 'bad-response',
        status,
        message: l10n.t('The result storage at {0} sent the video in an encoding that cannot be read ({1}). Check any proxy between this computer and the storage: it may be compressing downloads.', url.host, headerValue(response, 'content-encoding') ?? ''),
      });
    }
    if (status === 200) {
      // A full answer to a ranged request: the server ignores Range, or the object changed; the file starts over.
      startOver(progress);
      // An encoded answer's length is that of the encoded bytes.
      progress.total = decoder ? undefined : contentLength(response);
      progress.version = versionOf(response);
    } else {
      const range = contentRange(response);
      // A range of encoded bytes cannot follow the decoded bytes on disk.
      if (!range || range.start !== progress.received || decoder) {
        throw await startOverAfter(response, progress, l10n.t('The storage answered a different part of the file than asked; starting over.'));
      }
      const version = versionOf(response);
      const otherTotal = progress.total !== undefined && range.total !== undefined && range.total !== progress.total;
      const otherVersion = progress.version !== undefined && version !== undefined && version !== progress.version;
      if (otherTotal || otherVersion) {
        throw await startOverAfter(response, progress, l10n.t('The video at the link changed during the download; starting over.'));
      }
      const length = contentLength(response);
      progress.total = range.total ?? (length === undefined ? undefined : length + range.start);
      progress.version ??= version;
    }
    await writeBody(response, url, progress, context, decoder);
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

async function writeBody(response: HttpResponse, url: URL, progress: Progress, context: Context, decoder?: Transform): Promise<void> {
  const partPath = context.partPath;
  // 'w' when starting from zero (also discards a partial file after an ignored Range), 'a' to resume.
  const file = await fs.open(partPath, progress.received === 0 ? 'w' : 'a').catch(async (error: unknown) => {
    await response.body.dump();
    throw diskError(error, partPath);
  });
  // pipeline() passes a broken connection on to the decoder, and destroying the decoder stops the body.
  const body: Readable = decoder ? pipeline(response.body, decoder, () => undefined) : response.body;
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
    await file.writev(buffers).catch((error: unknown) => {
      writeFailed = true;
      throw diskError(error, partPath);
    });
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
    // Decoded bytes cannot be resumed with a Range of the encoded ones.
    if (decoder) startOver(progress);
    throw networkError(error, url, context);
  } finally {
    await file.close();
  }
  const total = progress.total;
  if (total !== undefined && progress.received !== total) {
    const tooLong = progress.received > total;
    if (tooLong) startOver(progress);
    throw new WanError({
      kind: 'network',
      retryable: true,
      requestMayHaveBeenSent: true,
      message: tooLong
        ? l10n.t('The download from {0} is longer than announced ({1} bytes); starting over.', url.host, total)
        : l10n.t('The download from {0} ended after {1} of {2} bytes.', url.host, progress.received, total),
    });
  }
}
