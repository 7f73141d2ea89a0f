// Gets a request's media to the service: a link as it is, a small image inline as a data URI, everything else through
// the temporary upload (remembered, so variations and batches do not upload the same file again).
import type { UploadCacheKey } from './uploadCache';
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { isInside } from '../common/files';
import { readMediaInfo } from '../media/mediaInfo';
import { WanError } from '../wan/errors';
import type { MediaType } from '../wan/models';
import type { MediaInput, SentMedia } from '../wan/params';

/** Alibaba's advice: a Base64 image's original at most about 7 MB (the body grows by a third). */
export const INLINE_LIMIT_BYTES = 7 * 1024 * 1024;

/** How one media item went, for the sidecar and for Regenerate's check that the files are still the same. */
export interface MediaRecord {
  type: MediaType;
  /** As written. */
  source: string;
  /** Of a local file's bytes as sent. */
  sha256?: string;
  bytes?: number;
  sent: 'inline' | 'upload' | 'url';
  /** wan2.7-r2v: the voice attached to this reference, recorded the same way. */
  referenceVoice?: Omit<MediaRecord, 'type' | 'referenceVoice'>;
}

/** WanUploader.upload's shape: resolves to an `oss://` URL, or rejects with a WanError (kind `upload-unavailable` where the endpoint has none). */
export type UploadFunction = (file: string, model: string, signal: AbortSignal, onProgress: (sentBytes: number, totalBytes: number) => void) => Promise<string>;

/** The upload cache (uploadCache.ts): remembering may fail, which only costs an upload next time. */
export interface UploadCacheLike {
  get(key: UploadCacheKey): string | undefined;
  set(key: UploadCacheKey, url: string, now: number): unknown;
}

export interface TransportOptions {
  media: readonly MediaInput[];
  model: string;
  /** The prompt file's folder: relative paths are looked up there first. */
  baseFolder?: string;
  /** Nothing is sent from outside these. */
  workspaceFolders: readonly string[];
  upload: UploadFunction;
  cache?: { store: UploadCacheLike; account: string };
  signal: AbortSignal;
  /** Bytes sent of one upload, as its total grows across the files. */
  onProgress?: (sentBytes: number, totalBytes: number, file: string) => void;
  now?: () => number;
  inlineLimit?: number;
}

/** A medium that cannot be sent as written: the user's edit (or another endpoint) fixes it. Nothing was created. */
export class MediaSendError extends Error {}

/** A local medium: where it is and what it holds. */
interface LocalFile {
  file: string;
  sha256: string;
  bytes: number;
}

/** Sends nothing itself: it returns what the create body carries, in the order written, and how each item went. */
export async function transportMedia(options: TransportOptions): Promise<{ sent: SentMedia[]; records: MediaRecord[] }> {
  const sent: SentMedia[] = [];
  const records: MediaRecord[] = [];
  for (const input of options.media) {
    const item = await sendOne(input.type, input.source, options);
    const one: SentMedia = { type: input.type, url: item.url };
    const record: MediaRecord = { type: input.type, ...item.record };
    if (input.referenceVoice !== undefined) {
      const voice = await sendOne(input.type, input.referenceVoice, options);
      one.reference_voice = voice.url;
      record.referenceVoice = voice.record;
    }
    sent.push(one);
    records.push(record);
  }
  return { sent, records };
}

async function sendOne(type: MediaType, source: string, options: TransportOptions): Promise<{ url: string; record: Omit<MediaRecord, 'type'> }> {
  if (isLink(source)) return { url: source.trim(), record: { source, sent: 'url' } };
  if (type === 'link') throw new MediaSendError(l10n.t('link must be a public web address (https://…), not a file: "{0}".', source));
  const file = await resolveLocal(source, options.baseFolder, options.workspaceFolders);
  const read = await readMediaInfo(file);
  if ('problem' in read) throw new MediaSendError(l10n.t('{0}: {1}', source, read.problem.message));
  const { info } = read;
  const limit = options.inlineLimit ?? INLINE_LIMIT_BYTES;
  if (info.kind === 'image' && info.size <= limit) {
    // Hashed from the very bytes sent, so the record cannot describe another version of the file.
    const bytes = await fs.readFile(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { url: dataUri(info.format, bytes), record: { source, sha256, bytes: bytes.length, sent: 'inline' } };
  }
  const local = { file, ...(await hashFile(file)) };
  return { url: await uploadOnce(local, source, info.kind === 'image', options), record: { source, sha256: local.sha256, bytes: local.bytes, sent: 'upload' } };
}

/** A create the service refused while it carried an image inline: some endpoints (APIYI) take only public links. */
export function withInlineAdvice(error: unknown, records: readonly MediaRecord[] | undefined): unknown {
  if (!(error instanceof WanError) || error.status !== 400 || !records?.some((record) => record.sent === 'inline')) return error;
  return new WanError({
    kind: error.kind, status: error.status, code: error.code, requestId: error.requestId, host: error.host, message: error.message, cause: error,
    advice: l10n.t('This endpoint may not take images sent inline (APIYI asks for public links): put the image where it has a public https:// address and write that address instead.'),
  });
}

function dataUri(format: string, bytes: Buffer): string {
  return `data:image/${format};base64,${bytes.toString('base64')}`;
}

/** A local image as a data URI for the preview's page, if it is one that would go inline; else undefined. */
export async function inlineImage(file: string): Promise<string | undefined> {
  const read = await readMediaInfo(file);
  if ('problem' in read || read.info.kind !== 'image' || read.info.size > INLINE_LIMIT_BYTES) return undefined;
  return dataUri(read.info.format, await fs.readFile(file));
}

async function uploadOnce(local: LocalFile, source: string, isImage: boolean, options: TransportOptions): Promise<string> {
  const key: UploadCacheKey | undefined = options.cache && { sha256: local.sha256, model: options.model, account: options.cache.account };
  const cached = key && options.cache?.store.get(key);
  if (cached) return cached;
  let url: string;
  try {
    url = await options.upload(local.file, options.model, options.signal, (sentBytes, totalBytes) => options.onProgress?.(sentBytes, totalBytes, local.file));
  } catch (error) {
    if ((error as { kind?: unknown }).kind !== 'upload-unavailable') throw error;
    throw new MediaSendError(isImage
      ? l10n.t('{0} is {1} MB: an image over {2} MB cannot go inline, and this endpoint has no upload for larger files. Save it as a JPEG under {2} MB (or smaller), or give a public https:// link to it.', source, megabytes(local.bytes), megabytes(options.inlineLimit ?? INLINE_LIMIT_BYTES))
      : l10n.t('{0}: this endpoint has no upload for local videos, sounds and documents; it wants public links. Put the file where it has a public https:// address and write that address instead.', source));
  }
  if (key && options.cache) Promise.resolve(options.cache.store.set(key, url, options.now?.() ?? Date.now())).catch(() => undefined);
  return url;
}

function isLink(source: string): boolean {
  return /^\s*https?:\/\//i.test(source);
}

/**
 * A path relative to the prompt file's folder, else to a workspace folder (the first where it exists), and only
 * ever inside a workspace folder, links followed: a path that leaves them is refused before any byte is read.
 */
export async function resolveLocal(source: string, baseFolder: string | undefined, workspaceFolders: readonly string[]): Promise<string> {
  const written = source.trim();
  const candidates = path.isAbsolute(written)
    ? [written]
    : [...(baseFolder ? [baseFolder] : []), ...workspaceFolders].map((folder) => path.resolve(folder, written));
  let found: string | undefined;
  for (const candidate of candidates) {
    found = await fs.realpath(candidate).catch(() => undefined);
    if (found) break;
  }
  if (!found) {
    throw new MediaSendError(l10n.t('{0}: there is no file at this path. A path is relative to the prompt file or to a workspace folder.', source));
  }
  const roots = await Promise.all(workspaceFolders.map((folder) => fs.realpath(folder).catch(() => path.resolve(folder))));
  if (!roots.some((root) => isInside(found, root))) {
    throw new MediaSendError(l10n.t('{0} is outside the workspace folders: nothing is sent from there. Copy the file into the workspace.', source));
  }
  return found;
}

/** SHA-256 and size, read as a stream: a 100 MB clip is never in memory whole. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/** How each recorded local file stands now: the same, changed (its hash differs) or gone. Links are not checked. */
export async function compareMedia(
  records: readonly MediaRecord[],
  baseFolder: string | undefined,
  workspaceFolders: readonly string[],
): Promise<{ source: string; state: 'changed' | 'gone' }[]> {
  const items = records.flatMap((record) => [record, ...(record.referenceVoice ? [record.referenceVoice] : [])]);
  const differences: { source: string; state: 'changed' | 'gone' }[] = [];
  for (const item of items) {
    if (item.sent === 'url' || item.sha256 === undefined) continue;
    let now: { sha256: string } | undefined;
    try {
      now = await hashFile(await resolveLocal(item.source, baseFolder, workspaceFolders));
    } catch {
      now = undefined;
    }
    if (!now) differences.push({ source: item.source, state: 'gone' });
    else if (now.sha256 !== item.sha256) differences.push({ source: item.source, state: 'changed' });
  }
  return differences;
}
