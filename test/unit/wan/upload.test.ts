import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { WanClient } from '../../../src/wan/client';
import { closeDispatcher } from '../../../src/wan/http';
import { WanUploader } from '../../../src/wan/upload';
import { UPLOAD_FIELDS } from '../../server/uploadHost';
import { WanTestServer } from '../../server/wanServer';
import { failure, validParams } from '../assertions';

const KEY = 'sk-test-upload-0123456789abcdef';
const MB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('WanUploader against the test server and its upload host', () => {
  let server: WanTestServer;
  let dir: string;
  let big: { path: string; size: number; sha256: string };
  let small: { path: string; size: number; sha256: string };

  const uploader = () => new WanUploader({ baseUrl: server.baseUrl, apiKey: KEY, retryDelayMs: 10 });
  const never = new AbortController().signal;
  const upload = (file = small.path, model = 'wan2.7-videoedit', onProgress: (sent: number, total: number) => void = () => {}, signal = never) =>
    uploader().upload(file, model, signal, onProgress);
  const objectOf = (url: string) => server.uploadHost.objects.get(url.slice('oss://'.length));

  /** Written a megabyte at a time, so the test holds no buffer of the whole file either. */
  function makeFile(name: string, size: number): { path: string; size: number; sha256: string } {
    const path = join(dir, name);
    const hash = createHash('sha256');
    const fd = openSync(path, 'w');
    for (let left = size; left > 0; left -= MB) {
      const chunk = randomBytes(Math.min(MB, left));
      hash.update(chunk);
      writeSync(fd, chunk);
    }
    closeSync(fd);
    return { path, size, sha256: hash.digest('hex') };
  }

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
    dir = mkdtempSync(join(tmpdir(), 'wan-upload-'));
    big = makeFile('big clip.mp4', 20 * MB);
    small = makeFile('clip.mp4', 3 * MB + 17);
  });

  beforeEach(() => {
    server.uploads = true;
    server.uploadHost.behaviour = {};
  });

  after(async () => {
    await server.close();
    await closeDispatcher();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a 20 MB file arrives byte for byte, streamed from disk: memory stays flat and progress reaches the total', async () => {
    const progress: [number, number][] = [];
    let peak = 0;
    gc();
    const baseline = process.memoryUsage().arrayBuffers;
    const url = await upload(big.path, 'wan2.7-videoedit', (sent, total) => {
      progress.push([sent, total]);
      gc(); // what is still held, not garbage awaiting collection
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
    });
    assert.match(url, /^oss:\/\/dashscope-instant\/[^/]+\/\d{4}-\d{2}-\d{2}\/[^/]+\/[^/]+big_clip\.mp4$/);
    const object = objectOf(url);
    assert.ok(object, 'the upload host stored it');
    assert.equal(object.size, big.size);
    assert.equal(object.sha256, big.sha256);
    assert.equal(object.model, 'wan2.7-videoedit');
    // Well under the file's 20 MB: no Buffer of the whole file was ever made (the server streams too).
    assert.ok(peak < 8 * MB, `Buffers grew by ${(peak / MB).toFixed(1)} MB during the upload`);
    assert.deepEqual(progress[0], [0, big.size]);
    assert.deepEqual(progress.at(-1), [big.size, big.size]);
    assert.ok(progress.every(([sent], i) => i === 0 || sent >= progress[i - 1][0]), 'progress only grows');
    assert.ok(progress.length >= 10, 'progress comes as the bytes go');
  });

  test('the key goes to the API host for the policy, never to the upload host; the form is in OSS\'s order, the file last', async () => {
    const before = server.uploadHost.records.length;
    await upload();
    const policyCall = server.requestsTo('policy').at(-1);
    assert.ok(policyCall);
    assert.equal(policyCall.path, '/api/v1/uploads?action=getPolicy&model=wan2.7-videoedit');
    assert.equal(policyCall.headers.authorization, `Bearer ${KEY}`);
    const [record] = server.uploadHost.records.slice(before);
    assert.equal(record.status, 200);
    assert.equal(record.headers.authorization, undefined);
    assert.ok(!JSON.stringify(record.headers).includes(KEY));
    assert.ok(!JSON.stringify(record.fields).includes(KEY));
    assert.deepEqual(record.fieldOrder, [...UPLOAD_FIELDS, 'file']);
    assert.notEqual(server.uploadHost.origin, server.origin, 'the upload host is another host');
  });

  test('the same file uploaded twice gets two keys: the host forbids overwriting', async () => {
    const first = await upload();
    const second = await upload();
    assert.notEqual(first, second);
  });

  test('a policy that runs out mid-upload (403 "Policy expired") is asked for again once, and the upload is done', async () => {
    const policies = server.requestsTo('policy').length;
    const records = server.uploadHost.records.length;
    server.uploadHost.behaviour = { expireInSeconds: [0.2], pauseAfterBytes: MB, pauseMs: 400 };
    const url = await upload();
    assert.equal(server.requestsTo('policy').length - policies, 2);
    assert.deepEqual(server.uploadHost.records.slice(records).map((record) => [record.status, record.code]), [[403, 'AccessDenied'], [200, undefined]]);
    assert.equal(objectOf(url)?.sha256, small.sha256);
  });

  test('a policy that runs out twice is a clear error, not a loop', async () => {
    server.uploadHost.behaviour = { expireInSeconds: [0.2, 0.2], pauseAfterBytes: MB, pauseMs: 400 };
    const error = await failure(upload());
    assert.match(error.message, /took longer than its upload policy lasts/);
    assert.match(error.advice, /public https:\/\/ link/);
  });

  test('a policy call answered 500 is retried', async () => {
    const policies = server.requestsTo('policy').length;
    server.failNext('policy', { status: 500, code: 'InternalError', message: 'oops' });
    const url = await upload();
    assert.equal(server.requestsTo('policy').length - policies, 2);
    assert.ok(objectOf(url));
  });

  test('an upload host answering 503 is retried with backoff; three in a row are a clear error', async () => {
    const records = server.uploadHost.records.length;
    server.uploadHost.failNext({ status: 503, code: 'ServiceUnavailable', message: 'Please reduce your request rate.' });
    const url = await upload();
    assert.deepEqual(server.uploadHost.records.slice(records).map((record) => record.status), [503, 200]);
    assert.equal(objectOf(url)?.size, small.size);

    server.uploadHost.failNext(...Array.from({ length: 3 }, () => ({ status: 503, code: 'ServiceUnavailable', message: 'Please reduce your request rate.' })));
    const error = await failure(upload(), 'server');
    assert.match(error.message, /upload host 127\.0\.0\.1:\d+ failed \(HTTP 503: ServiceUnavailable: Please reduce your request rate\.\)/);
  });

  test('a connection dropped mid-upload is retried with a new key; dropped every time, it says where it broke off', async () => {
    const records = server.uploadHost.records.length;
    server.uploadHost.failNext({ dropAfterBytes: MB });
    const url = await upload();
    assert.equal(server.uploadHost.records.length - records, 2);
    assert.equal(objectOf(url)?.sha256, small.sha256);

    server.uploadHost.failNext(...Array.from({ length: 3 }, () => ({ dropAfterBytes: MB })));
    const error = await failure(upload(), 'network');
    assert.match(error.message, /^The upload of clip\.mp4 broke off after [\d.]+ of 3 MB: /);
    assert.match(error.advice, /network connection/);
  });

  test('an upload host refusing the upload is a clear error, not retried', async () => {
    const records = server.uploadHost.records.length;
    server.uploadHost.failNext({ status: 403, code: 'AccessDenied', message: 'You have no right to access this object because of bucket acl.' });
    const error = await failure(upload(), 'access');
    assert.match(error.message, /upload host 127\.0\.0\.1:\d+ refused clip\.mp4 \(HTTP 403: AccessDenied: You have no right/);
    assert.match(error.advice, /public https:\/\/ link/);
    assert.equal(server.uploadHost.records.length - records, 1);
  });

  test('an endpoint without the upload (the policy call answers 404) is `upload-unavailable`, and nothing is posted', async () => {
    server.uploads = false;
    const records = server.uploadHost.records.length;
    const error = await failure(upload(), 'upload-unavailable');
    assert.match(error.message, /offers no temporary upload/);
    assert.match(error.advice, /public https:\/\/ link/);
    assert.equal(server.uploadHost.records.length, records);
  });

  test('a rejected key at the policy call is the usual auth error', async () => {
    const error = await failure(new WanUploader({ baseUrl: server.baseUrl, apiKey: 'sk-wrong' }).upload(small.path, 'wan2.7-videoedit', never, () => {}), 'auth');
    assert.ok(!error.message.includes('sk-wrong'));
  });

  test('Cancel stops the upload at once; nothing is stored', async () => {
    const controller = new AbortController();
    const objects = server.uploadHost.objects.size;
    server.uploadHost.behaviour = { pauseAfterBytes: MB, pauseMs: 2000 };
    const started = Date.now();
    const error = await failure(upload(small.path, 'wan2.7-videoedit', (sent) => {
      if (sent >= MB) controller.abort();
    }, controller.signal), 'aborted');
    assert.ok(Date.now() - started < 1500, error.message);
    assert.equal(server.uploadHost.objects.size, objects);
  });

  test('a file that cannot be read is a clear error before any policy call', async () => {
    const policies = server.requestsTo('policy').length;
    const error = await failure(upload(join(dir, 'gone.mp4')), 'invalid-request');
    assert.match(error.message, /Cannot read .*gone\.mp4 to upload it/);
    assert.equal(server.requestsTo('policy').length, policies);
  });

  describe('a create with the oss:// URL', () => {
    const body = (url: string, model = 'wan2.7-videoedit') => ({ model, input: { prompt: 'Make it snow', media: [{ type: 'video', url }] }, parameters: { duration: 0 } });
    const post = async (json: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server.baseUrl}/services/aigc/video-generation/video-synthesis`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-dashscope-async': 'enable', ...headers },
        body: JSON.stringify(json),
      });
      return { status: response.status, answer: (await response.json()) as Record<string, unknown> };
    };

    test('the client sends X-DashScope-OssResourceResolve: enable, and the task runs', async () => {
      const url = await upload();
      const client = new WanClient({ baseUrl: server.baseUrl, apiKey: KEY });
      // Media models are not yet submitted from settings (issue 14 wires that), so the parameters are written here.
      const params = { ...validParams({ prompt: 'Make it snow' }), model: 'wan2.7-videoedit', duration: 0 };
      const task = await client.createTask(params, undefined, [{ type: 'video', url }]);
      const sent = server.requestsTo('create').at(-1);
      assert.equal(sent?.headers['x-dashscope-ossresourceresolve'], 'enable');
      assert.equal(server.tasks.get(task.taskId)?.body && JSON.stringify(server.tasks.get(task.taskId)?.body).includes(url), true);
      // and no header for public links
      await client.createTask(params, undefined, [{ type: 'video', url: 'https://example.com/a.mp4' }]);
      assert.equal(server.requestsTo('create').at(-1)?.headers['x-dashscope-ossresourceresolve'], undefined);
    });

    test('without the header the service answers 400 "The provided URL does not appear to be valid"', async () => {
      const url = await upload();
      const { status, answer } = await post(body(url));
      assert.equal(status, 400);
      assert.match(String(answer.message), /The provided URL does not appear to be valid/);
      assert.equal((await post(body(url), { 'x-dashscope-ossresourceresolve': 'enable' })).status, 200);
    });

    test('a key that was never uploaded is refused; one uploaded for another model fails the task', async () => {
      const { status } = await post(body('oss://dashscope-instant/nothing/here.mp4'), { 'x-dashscope-ossresourceresolve': 'enable' });
      assert.equal(status, 400);
      const url = await upload(small.path, 'wan3.0-video');
      const created = await post(body(url), { 'x-dashscope-ossresourceresolve': 'enable' });
      assert.equal(created.status, 200);
      const task = server.tasks.get((created.answer.output as { task_id: string }).task_id);
      assert.ok(task);
      for (let i = 0; task.status() === 'PENDING' || task.status() === 'RUNNING'; i++) {
        assert.ok(i < 200);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.equal(task.status(), 'FAILED');
    });
  });
});

