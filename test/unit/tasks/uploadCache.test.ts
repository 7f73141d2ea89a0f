import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { UPLOAD_REUSE_MARGIN_MS, UploadCache, uploadAccount, type UploadCacheKey } from '../../../src/tasks/uploadCache';
import { MemoryStorage } from './helpers';

const HOUR = 3600_000;
const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const BASE_URL = 'https://dashscope.aliyuncs.com/api/v1';
const API_KEY = 'sk-secret-0123456789abcdef';
const KEY: UploadCacheKey = { sha256: 'a'.repeat(64), model: 'wan2.7-videoedit', account: uploadAccount(BASE_URL, API_KEY) };
const URL = 'oss://dashscope-instant/abc/2026-12-01/x/clip.mp4';

function cacheAt(storage: MemoryStorage, clock: { now: number }): UploadCache {
  return new UploadCache(storage, () => clock.now);
}

describe('the upload cache', () => {
  test('finds an upload of the same file, model and account within 48 h minus the margin, and not after', async () => {
    const storage = new MemoryStorage();
    const clock = { now: T0 };
    const cache = cacheAt(storage, clock);
    assert.equal(cache.get(KEY), undefined);
    await cache.set(KEY, URL, T0);
    clock.now = T0 + 1000;
    assert.equal(cache.get(KEY), URL);
    clock.now = T0 + 48 * HOUR - UPLOAD_REUSE_MARGIN_MS - 1;
    assert.equal(cache.get(KEY), URL);
    assert.ok(UPLOAD_REUSE_MARGIN_MS >= 3 * HOUR, 'a task that queues up to 3 h still finds its upload');
    clock.now = T0 + 48 * HOUR - UPLOAD_REUSE_MARGIN_MS;
    assert.equal(cache.get(KEY), undefined);
    // and from the storage, as another window or the next session reads it
    clock.now = T0 + HOUR;
    assert.equal(cacheAt(storage, clock).get({ ...KEY }), URL);
  });

  test('another model, endpoint, key or file misses (an upload is bound to its model and account)', async () => {
    const storage = new MemoryStorage();
    const cache = cacheAt(storage, { now: T0 });
    await cache.set(KEY, URL, T0);
    assert.equal(cache.get({ ...KEY, model: 'wan3.0-video' }), undefined);
    assert.equal(cache.get({ ...KEY, account: uploadAccount('https://dashscope-intl.aliyuncs.com/api/v1', API_KEY) }), undefined);
    assert.equal(cache.get({ ...KEY, account: uploadAccount(BASE_URL, 'sk-other-0123456789abcdef') }), undefined);
    assert.equal(cache.get({ ...KEY, sha256: 'b'.repeat(64) }), undefined);
    // the same account written with a trailing slash or a pasted key's spaces is the same account
    assert.equal(cache.get({ ...KEY, account: uploadAccount(`${BASE_URL}/`, ` ${API_KEY} `) }), URL);
  });

  test('never stores the key, and drops uploads past their time when it writes', async () => {
    const storage = new MemoryStorage();
    const clock = { now: T0 };
    const cache = cacheAt(storage, clock);
    await cache.set(KEY, URL, T0);
    const stored = storage.keys().map((name) => `${name} ${JSON.stringify(storage.get(name))}`).join('\n');
    assert.ok(!stored.includes(API_KEY), stored);
    assert.ok(!stored.includes('0123456789abcdef'), stored);
    clock.now = T0 + 47 * HOUR;
    await cache.set({ ...KEY, sha256: 'c'.repeat(64) }, `${URL}2`);
    assert.equal(storage.keys().length, 1, 'the expired upload is gone');
    assert.equal(cache.get({ ...KEY, sha256: 'c'.repeat(64) }), `${URL}2`);
  });
});
