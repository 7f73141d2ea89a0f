import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { WanClient } from '../../../src/wan/client';
import { downloadVideo, type DownloadOptions } from '../../../src/wan/download';
import { closeDispatcher } from '../../../src/wan/http';
import { WanTestServer } from '../../server/wanServer';
import { failure } from '../assertions';

const KEY = 'sk-download-test-key';
const FAST: DownloadOptions = { retryDelayMs: 10, timeouts: { connectMs: 1000, headersMs: 1000, bodyMs: 1000 } };

/** The fixture with other bytes in its `mdat` (which starts at 3544), optionally followed by a `free` box: another video. */
function otherVideo(fixture: Buffer, longer = false): Buffer {
  const copy = Buffer.from(fixture);
  for (let i = 4_000; i < 40_000; i += 1_000) copy[i] ^= 0xff;
  return longer ? Buffer.concat([copy, Buffer.from([0, 0, 0, 8, 0x66, 0x72, 0x65, 0x65])]) : copy;
}


describe('downloadVideo', () => {
  let server: WanTestServer;
  let root: string;
  let dir: string;
  let videoUrl: string;
  let target: string;
  let fixture: Buffer;

  /** Starts a one-off server that redirects every request to `location`. */
  async function redirectTo(location: string): Promise<{ url: string; server: Server }> {
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { location });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}/r.mp4`, server: redirector };
  }

  function assertNothingLeft(): void {
    assert.deepEqual(readdirSync(dir), [], 'no file and no .part left');
  }

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'wan-download-'));
    server = await WanTestServer.start({ apiKey: KEY });
    fixture = readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'sample.mp4'));
    server.scriptNextTasks({ pendingMs: 0, runningMs: 0 });
    const task = await new WanClient({ baseUrl: server.baseUrl, apiKey: KEY }).createTask({
      model: 'wan2.7-t2v',
      prompt: 'a fox',
      resolution: '720P',
      ratio: '16:9',
      duration: 2,
      promptExtend: false,
      watermark: false,
    });
    videoUrl = server.videoUrlFor(task.taskId);
  });

  beforeEach(() => {
    server.download = {};
    server.requests.length = 0;
    dir = mkdtempSync(join(root, 'case-'));
    target = join(dir, 'video.mp4');
  });

  after(async () => {
    await server.close();
    await closeDispatcher();
    rmSync(root, { recursive: true, force: true });
  });

  test('the served video is the fixture: a real clip of a few tens of KB', () => {
    assert.ok(server.video.equals(fixture));
    assert.ok(fixture.length > 10_000 && fixture.length < 200_000, String(fixture.length));
    assert.equal(fixture.subarray(4, 8).toString('latin1'), 'ftyp');
  });

  test('saves the complete file, byte for byte, without any Authorization header', async () => {
    const progress: [number, number | undefined][] = [];
    const result = await downloadVideo(videoUrl, target, { ...FAST, onProgress: (received, total) => progress.push([received, total]) });
    assert.deepEqual(result, { path: target, bytes: fixture.length });
    assert.ok(readFileSync(target).equals(fixture));
    assert.deepEqual(readdirSync(dir), ['video.mp4']);
    assert.deepEqual(progress.at(-1), [fixture.length, fixture.length]);
    const [request] = server.requestsTo('download');
    assert.equal(request.headers.authorization, undefined);
    assert.equal(request.headers.range, undefined);
    assert.equal(request.path, new URL(videoUrl).pathname + new URL(videoUrl).search, 'the signed query is kept');
  });

  test('resumes with Range after a dropped connection', async () => {
    server.download = { dropAfterBytes: 10_000 };
    const result = await downloadVideo(videoUrl, target, FAST);
    assert.equal(result.bytes, fixture.length);
    assert.ok(readFileSync(target).equals(fixture));
    const requests = server.requestsTo('download');
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers.range, 'bytes=10000-');
    assert.ok(requests.every((request) => request.headers.authorization === undefined));
  });

  test('starts over cleanly when the server ignores Range', async () => {
    server.download = { dropAfterBytes: 10_000, ignoreRange: true };
    const result = await downloadVideo(videoUrl, target, FAST);
    assert.equal(result.bytes, fixture.length);
    assert.ok(readFileSync(target).equals(fixture));
    const requests = server.requestsTo('download');
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers.range, 'bytes=10000-', 'asked for the rest, got the whole file');
  });

  test('a stalled body times out and the download resumes', async () => {
    server.download = { stallAfterBytes: 8_000 };
    const started = Date.now();
    const result = await downloadVideo(videoUrl, target, { ...FAST, timeouts: { bodyMs: 200 } });
    assert.ok(Date.now() - started < 3000);
    assert.equal(result.bytes, fixture.length);
    assert.ok(readFileSync(target).equals(fixture));
    const requests = server.requestsTo('download');
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers.range, 'bytes=8000-');
  });

  test('retries a 503 from the storage', async () => {
    server.failNext('download', { status: 503, rawBody: 'busy', contentType: 'text/plain' });
    await downloadVideo(videoUrl, target, FAST);
    assert.ok(readFileSync(target).equals(fixture));
    assert.equal(server.requestsTo('download').length, 2);
  });

  test('gives up after maxAttempts and leaves no .part file', async () => {
    server.download = { dropAfterBytes: 5_000, dropTimes: 10 };
    const error = await failure(downloadVideo(videoUrl, target, { ...FAST, maxAttempts: 3 }), 'network');
    assert.equal(error.retryable, true);
    assert.equal(server.requestsTo('download').length, 3);
    assertNothingLeft();
  });

  test('an expired link is link-expired, not retried, and leaves nothing behind', async () => {
    server.download = { expired: true };
    const error = await failure(downloadVideo(videoUrl, target, FAST), 'link-expired');
    assert.equal(error.status, 403);
    assert.match(error.message, /AccessDenied/);
    assert.match(error.advice, /fresh link/);
    assert.equal(server.requestsTo('download').length, 1);
    assertNothingLeft();
  });

  test('a link to a result that is gone (404) is link-expired too', async () => {
    await failure(downloadVideo(`${server.origin}/results/gone.mp4`, target, FAST), 'link-expired');
    assertNothingLeft();
  });

  test('refuses a plain-http link to another host before any connection', async () => {
    const seen: string[] = [];
    const onEvent = (_message: unknown, name: string | symbol) => seen.push(String(name));
    subscribe('undici:request:create', onEvent);
    subscribe('undici:client:beforeConnect', onEvent);
    try {
      const error = await failure(downloadVideo('http://example.com/video.mp4', target, FAST), 'insecure-url');
      assert.match(error.message, /https:\/\//);
    } finally {
      unsubscribe('undici:request:create', onEvent);
      unsubscribe('undici:client:beforeConnect', onEvent);
    }
    assert.deepEqual(seen, []);
    assertNothingLeft();
  });

  test('never overwrites an existing file', async () => {
    writeFileSync(target, 'precious');
    const error = await failure(downloadVideo(videoUrl, target, FAST), 'invalid-request');
    assert.match(error.message, /already exists/);
    assert.equal(readFileSync(target, 'utf8'), 'precious');
    assert.equal(server.requestsTo('download').length, 0);
    assert.deepEqual(readdirSync(dir), ['video.mp4']);
  });

  test('follows a redirect to an allowed address, without Authorization', async () => {
    const hop = await redirectTo(videoUrl);
    try {
      await downloadVideo(hop.url, target, FAST);
      assert.ok(readFileSync(target).equals(fixture));
      assert.equal(server.requestsTo('download')[0].headers.authorization, undefined);
    } finally {
      hop.server.closeAllConnections();
      await new Promise((resolve) => hop.server.close(resolve));
    }
  });

  test('refuses a redirect to plain http on another host', async () => {
    const hop = await redirectTo('http://example.com/elsewhere.mp4');
    try {
      await failure(downloadVideo(hop.url, target, FAST), 'insecure-url');
      assertNothingLeft();
    } finally {
      hop.server.closeAllConnections();
      await new Promise((resolve) => hop.server.close(resolve));
    }
  });

  test('an abort stops the download and removes the .part file', async () => {
    server.download = { stallAfterBytes: 4_000 };
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await failure(downloadVideo(videoUrl, target, { ...FAST, signal: controller.signal, timeouts: { bodyMs: 5000 } }), 'aborted');
    assert.ok(!existsSync(`${target}.part`));
    assertNothingLeft();
  });

  test('case 12: an answer cut off without Content-Length is not saved as the video; the download resumes after the cut', async () => {
    server.download = { cutOffAfterBytes: 20_000 };
    const result = await downloadVideo(videoUrl, target, FAST);
    assert.ok(readFileSync(target).equals(fixture), 'the whole video, not the first 20 000 bytes');
    assert.equal(result.bytes, fixture.length);
    const requests = server.requestsTo('download');
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers.range, 'bytes=20000-');
  });

  test('case 13: a resume sends If-Range, so a replaced object comes whole instead of spliced onto the old one', async () => {
    const replaced = otherVideo(fixture);
    server.download = { dropAfterBytes: 10_000, replacedBy: replaced };
    await downloadVideo(videoUrl, target, FAST);
    assert.ok(readFileSync(target).equals(replaced), 'the new object, not the start of the old one with the rest of the new');
    const requests = server.requestsTo('download');
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers.range, 'bytes=10000-');
    assert.match(String(requests[1].headers['if-range']), /^"[0-9a-f]{32}"$/, 'the ETag of the first answer');
  });

  test('case 13: a resume answered with another object\'s ETag or total length starts over', async () => {
    for (const replaced of [otherVideo(fixture), otherVideo(fixture, true)]) {
      server.requests.length = 0;
      rmSync(target, { force: true });
      server.download = { dropAfterBytes: 10_000, replacedBy: replaced, ignoreIfRange: true };
      const result = await downloadVideo(videoUrl, target, FAST);
      assert.ok(readFileSync(target).equals(replaced), `not spliced (${replaced.length} bytes)`);
      assert.equal(result.bytes, replaced.length);
      const requests = server.requestsTo('download');
      assert.equal(requests.length, 3, 'the first answer, the mismatched resume, the new start');
      assert.equal(requests[2].headers.range, undefined);
    }
  });

  test('case 14: a 416 after every byte arrived means done: the complete .part is kept as the video', async () => {
    // Chunked, so the connection that breaks after the last byte counts as broken.
    server.download = { withoutLength: true, dropAfterBytes: fixture.length };
    const result = await downloadVideo(videoUrl, target, FAST);
    assert.deepEqual(result, { path: target, bytes: fixture.length });
    assert.ok(readFileSync(target).equals(fixture));
    const requests = server.requestsTo('download');
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers.range, `bytes=${fixture.length}-`);
    assert.deepEqual(readdirSync(dir), ['video.mp4']);
  });

  test('case 15: a gzip, br or deflate answer is decoded, never saved as encoded bytes', async () => {
    for (const contentEncoding of ['gzip', 'br', 'deflate'] as const) {
      server.requests.length = 0;
      rmSync(target, { force: true });
      server.download = { contentEncoding };
      await downloadVideo(videoUrl, target, FAST);
      assert.ok(readFileSync(target).equals(fixture), contentEncoding);
      assert.equal(server.requestsTo('download')[0].headers['accept-encoding'], 'identity');
    }
  });

  test('case 15: a gzip answer cut off mid-way is fetched again from the start', async () => {
    server.download = { contentEncoding: 'gzip', dropAfterBytes: 10_000 };
    await downloadVideo(videoUrl, target, FAST);
    assert.ok(readFileSync(target).equals(fixture));
    const requests = server.requestsTo('download');
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers.range, undefined, 'encoded bytes cannot be resumed');
  });

  test('case 15: an answer in an encoding it cannot decode is refused, and nothing is saved', async () => {
    server.download = { contentEncoding: 'compress' };
    const error = await failure(downloadVideo(videoUrl, target, FAST), 'bad-response');
    assert.match(error.message, /compress/);
    assert.equal(server.requestsTo('download').length, 1);
    assertNothingLeft();
  });

  test('case 16: a full disk stops the download at once, keeps the .part and says to free space', async () => {
    // /dev/full answers every write with ENOSPC, like a full disk.
    symlinkSync('/dev/full', `${target}.part`);
    const error = await failure(downloadVideo(videoUrl, target, FAST));
    assert.equal(error.retryable, false);
    assert.match(error.message, /ENOSPC/);
    assert.match(error.message, /free/i);
    assert.equal(server.requestsTo('download').length, 1, 'not retried as a network error');
    assert.ok(lstatSync(`${target}.part`), 'the .part is kept for a resume');
    assert.ok(!existsSync(target));
  });

  test('case 16: a .part kept from an earlier attempt is resumed after its last byte', async () => {
    writeFileSync(`${target}.part`, fixture.subarray(0, 10_000));
    const result = await downloadVideo(videoUrl, target, FAST);
    assert.equal(result.bytes, fixture.length);
    assert.ok(readFileSync(target).equals(fixture));
    assert.equal(server.requestsTo('download')[0].headers.range, 'bytes=10000-');
  });

  test('case 17: a video linked into place is saved even when its .part cannot be removed (EBUSY); the .part goes later', async () => {
    let refusals = 0;
    const removeFile = async (path: string) => {
      if (refusals++ === 0) throw Object.assign(new Error(`EBUSY: resource busy or locked, unlink '${path}'`), { code: 'EBUSY' });
      rmSync(path);
    };
    const result = await downloadVideo(videoUrl, target, { ...FAST, removeFile });
    assert.deepEqual(result, { path: target, bytes: fixture.length });
    assert.ok(readFileSync(target).equals(fixture));
    const deadline = Date.now() + 2000;
    while (existsSync(`${target}.part`) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(readdirSync(dir), ['video.mp4'], 'the leftover .part is removed later');
  });
});
