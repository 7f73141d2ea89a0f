// Remembers the temporary uploads, so variations, regenerations and batches do not upload the same file again. An
// upload is bound to its model and its account and lives 48 h; it is reused for somewhat less, so a task that queues
// for a while still finds it. The account is the endpoint and a hash of the key: the key itself is never stored.
import { createHash } from 'node:crypto';
import type { KeyValueStorage } from './taskStore';

export interface UploadCacheKey {
  /** the file's SHA-256, hex */
  sha256: string;
  model: string;
  /** `uploadAccount(baseUrl, apiKey)` */
  account: string;
}

interface StoredUpload {
  url: string;
  /** epoch ms after which the upload is not reused */
  until: number;
}

const KEY_PREFIX = 'wan.upload.';
const UPLOAD_LIFETIME_MS = 48 * 3600_000;
/** Tasks may queue for hours before the service reads their media; a task gives up after 3 h. */
export const UPLOAD_REUSE_MARGIN_MS = 6 * 3600_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export class UploadCache {
  constructor(private readonly storage: KeyValueStorage, private readonly now: () => number = Date.now) {}

  get(key: UploadCacheKey): string | undefined {
    const stored = this.storage.get<StoredUpload>(storageKey(key));
    return stored && typeof stored.url === 'string' && stored.until > this.now() ? stored.url : undefined;
  }

  /** `now` is when the upload began: its 48 h run from there. Uploads past their time are dropped meanwhile. */
  async set(key: UploadCacheKey, url: string, now = this.now()): Promise<void> {
    const stale = this.storage.keys().filter((name) => {
      if (!name.startsWith(KEY_PREFIX)) return false;
      const until = this.storage.get<StoredUpload>(name)?.until;
      return typeof until !== 'number' || until <= this.now();
    });
    const value: StoredUpload = { url, until: now + UPLOAD_LIFETIME_MS - UPLOAD_REUSE_MARGIN_MS };
    await Promise.all([...stale.map((name) => this.storage.update(name, undefined)), this.storage.update(storageKey(key), value)]);
  }
}

/** The account an upload belongs to: the endpoint and a hash of the key, never the key. */
export function uploadAccount(baseUrl: string, apiKey: string): string {
  return `${baseUrl.replace(/\/+$/, '')} ${sha256(apiKey.trim())}`;
}

function storageKey(key: UploadCacheKey): string {
  return KEY_PREFIX + sha256(JSON.stringify([key.sha256, key.model, key.account]));
}
