import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { WanClient, type RequestLogEntry, type WanClientOptions } from '../../../src/wan/client';
import { WanError, type WanErrorKind } from '../../../src/wan/errors';
import { closeDispatcher } from '../../../src/wan/http';
import { toCreateBody } from '../../../src/wan/params';
import { failureReason, type TaskStatus, type WanTask } from '../../../src/wan/task';
import { WanTestServer, type ErrorReply } from '../../server/wanServer';
import { failure, validParams } from '../assertions';

const KEY = 'sk-test-0123456789abcdef';

const PARAMS = validParams({ prompt: 'a red fox running through snow' });


describe('WanClient against the test server', () => {
  let server: WanTestServer;
  let log: RequestLogEntry[];

  const client = (options: Partial<WanClientOptions> = {}) =>
    new WanClient({ baseUrl: server.baseUrl, apiKey: KEY, timeouts: { connectMs: 1000, headersMs: 2000, bodyMs: 2000 }, onRequest: (entry) => log.push(entry), ...options });

  async function waitForStatus(taskId: string, status: TaskStatus): Promise<WanTask> {
    const deadline = Date.now() + 3000;
    for (;;) {
      const task = await client().getTask(taskId);
      if (task.status === status) return task;
      assert.ok(Date.now() < deadline, `task ${taskId} stayed ${task.status}, expected ${status}`);
      await sleep(20);
    }
  }

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
  });

  beforeEach(() => {
    log = [];
  });

  after(async () => {
    await server.close();
    await closeDispatcher();
  });

  describe('create', () => {
    test('sends the create body with the key, JSON and async headers, and answers PENDING', async () => {
      const params = validParams({ prompt: 'a fox', negative_prompt: 'blur', seed: 7, resolution: '1080P', ratio: '1:1', duration: 10 });
      const earlier = server.requestsTo('create').length;
      const task = await client().createTask(params);
      assert.equal(task.status, 'PENDING');
      assert.ok(server.tasks.has(task.taskId));
      assert.ok(task.requestId);
      const sent = server.requestsTo('create')[earlier];
      assert.equal(sent.method, 'POST');
      assert.equal(sent.path, '/api/v1/services/aigc/video-generation/video-synthesis');
      assert.equal(sent.headers.authorization, `Bearer ${KEY}`);
      assert.equal(sent.headers['x-dashscope-async'], 'enable');
      assert.match(sent.headers['content-type'] ?? '', /^application\/json/);
      assert.deepEqual(sent.json, toCreateBody(params));
    });

    test('the server refuses a create without the async header (403 AccessDenied), as the service does', async () => {
      const response = await fetch(`${server.baseUrl}/services/aigc/video-generation/video-synthesis`, {
        method: 'POST',
        headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(toCreateBody(PARAMS)),
      });
      assert.equal(response.status, 403);
      const body = (await response.json()) as { code: string; message: string };
      assert.equal(body.code, 'AccessDenied');
      assert.match(body.message, /synchronous/);
      server.failNext('create', { status: 403, code: 'AccessDenied', message: body.message });
      const error = await failure(client().createTask(PARAMS), 'access');
      assert.equal(error.retryable, false);
      assert.match(error.message, /^The service denied access \(403 AccessDenied\): current user api does not support synchronous calls$/);
    });

    test('invalid parameters come back as 400 InvalidParameter from the server', async () => {
      const error = await failure(client().createTask({ ...PARAMS, duration: 5.5 }), 'invalid-request');
      assert.equal(error.status, 400);
      assert.equal(error.code, 'InvalidParameter');
      assert.equal(error.retryable, false);
      assert.ok(error.requestId);
    });

    test('an unknown model comes back as 404 ModelNotFound', async () => {
      const error = await failure(client().createTask({ ...PARAMS, model: 'nosuch-model' }), 'model-not-found');
      assert.equal(error.status, 404);
      assert.match(error.advice, /model name/);
    });

    test('a wrong key is 401 InvalidApiKey with advice about the region, and the key appears nowhere', async () => {
      const wrongKey = 'sk-wrong-9876543210';
      const error = await failure(client({ apiKey: wrongKey }).createTask(PARAMS), 'auth');
      assert.equal(error.status, 401);
      assert.equal(error.message, 'The service rejected the API key (401 InvalidApiKey): Invalid API-key provided.');
      assert.match(error.advice, /region/);
      assert.equal(error.host, new URL(server.baseUrl).host, 'the host is kept, for advice about a workspace\'s region');
      const everything = JSON.stringify({ message: error.message, advice: error.advice, log });
      assert.ok(!everything.includes(wrongKey));
      assert.ok(!everything.includes(KEY));
    });

    const table: [string, ErrorReply, WanErrorKind, boolean][] = [
      ['403 Unpurchased', { status: 403, code: 'AccessDenied.Unpurchased', message: 'Access to model denied.' }, 'access', false],
      ['400 DataInspectionFailed', { status: 400, code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' }, 'moderation', false],
      ['400 Arrearage', { status: 400, code: 'Arrearage', message: 'Access denied, please make sure your account is in good standing.' }, 'arrearage', false],
      ['429 AllocationQuota', { status: 429, code: 'Throttling.AllocationQuota', message: 'Free allocated quota exceeded.' }, 'quota', false],
    ];
    for (const [name, reply, kind, retryable] of table) {
      test(`${name} -> ${kind}, ${retryable ? '' : 'not '}retryable`, async () => {
        server.failNext('create', reply);
        const error = await failure(client().createTask(PARAMS), kind);
        assert.equal(error.status, reply.status);
        assert.equal(error.code, reply.code);
        assert.equal(error.retryable, retryable);
        assert.equal(error.requestMayHaveBeenSent, false);
        assert.ok(error.message.includes(`(${reply.status} ${reply.code}): ${reply.message}`), error.message);
        assert.ok(error.requestId, 'request id from the error body');
      });
    }

    test('429 reads Retry-After in seconds and as an HTTP date', async () => {
      server.failNext('create', { status: 429, code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded.', retryAfter: '3' });
      const seconds = await failure(client().createTask(PARAMS), 'throttled');
      assert.equal(seconds.retryable, true);
      assert.equal(seconds.retryAfterMs, 3000);
      server.failNext('create', { status: 429, code: 'Throttling', retryAfter: new Date(Date.now() + 20_000).toUTCString() });
      const date = await failure(client().createTask(PARAMS), 'throttled');
      assert.ok(date.retryAfterMs !== undefined && date.retryAfterMs > 15_000 && date.retryAfterMs <= 20_000, String(date.retryAfterMs));
    });

    test('case 4: a 5xx answer to a create may come after the service took it: not retryable, and it may have been sent', async () => {
      for (const reply of [{ status: 500, code: 'InternalError', message: 'An internal error has occured.' }, { status: 503, code: 'ModelUnavailable', message: 'Model is unavailable.' }]) {
        server.failNext('create', reply);
        const error = await failure(client().createTask(PARAMS), 'server');
        assert.equal(error.status, reply.status);
        assert.equal(error.retryable, false);
        assert.equal(error.requestMayHaveBeenSent, true);
        assert.ok(error.message.includes(`(${reply.status} ${reply.code}): ${reply.message}`), error.message);
      }
    });

    test('case 4: an HTML 502 from a proxy on a create quotes a tag-free snippet and may have been sent', async () => {
      server.failNext('create', { status: 502, rawBody: '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>openresty</center></body></html>' });
      const error = await failure(client().createTask(PARAMS), 'server');
      assert.equal(error.retryable, false);
      assert.equal(error.requestMayHaveBeenSent, true);
      assert.equal(error.status, 502);
      assert.match(error.message, /HTTP 502/);
      assert.match(error.message, /502 Bad Gateway 502 Bad Gateway openresty/);
      assert.doesNotMatch(error.message, /[<>]/);
    });

    test('a 200 that is not JSON, or that carries an error code, is reported, not crashed on', async () => {
      server.failNext('create', { status: 200, rawBody: '<html>Welcome to nginx</html>' });
      const page = await failure(client().createTask(PARAMS), 'bad-response');
      assert.match(page.message, /Welcome to nginx/);
      assert.equal(page.requestMayHaveBeenSent, true, 'case 5: a 200 that is not a task may have started one');
      server.failNext('create', { status: 200, code: 'InvalidApiKey', message: 'Invalid API-key provided.' });
      await failure(client().createTask(PARAMS), 'auth');
    });
  });

  describe('network failures', () => {
    test('connection refused: retryable, and the request was certainly not sent', async () => {
      const closed = await WanTestServer.start();
      const baseUrl = closed.baseUrl;
      await closed.close();
      const error = await failure(client({ baseUrl }).createTask(PARAMS), 'network');
      assert.equal(error.requestMayHaveBeenSent, false);
      assert.equal(error.retryable, true);
      assert.match(error.message, /refused/);
    });

    test('a connection dropped before the answer: the create may have arrived', async () => {
      server.failNext('create', { drop: 'before-response' });
      const error = await failure(client().createTask(PARAMS), 'network');
      assert.equal(error.requestMayHaveBeenSent, true);
    });

    test('a hanging create times out within the configured time, and may have arrived', async () => {
      server.failNext('create', { hang: true });
      const started = Date.now();
      const error = await failure(client({ timeouts: { headersMs: 300 } }).createTask(PARAMS), 'timeout');
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 250 && elapsed < 2000, `took ${elapsed} ms`);
      assert.equal(error.requestMayHaveBeenSent, true);
      assert.equal(log.at(-1)?.error, error.message);
    });

    test('an abort through the signal ends a waiting call as aborted', async () => {
      server.failNext('query', { hang: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const started = Date.now();
      await failure(client().getTask('anything', controller.signal), 'aborted');
      assert.ok(Date.now() - started < 1500);
    });

    test('an already aborted signal sends nothing', async () => {
      const earlier = server.requests.length;
      await failure(client().createTask(PARAMS, AbortSignal.abort()), 'aborted');
      assert.equal(server.requests.length, earlier);
    });

    test('a redirect is not followed, so the key cannot travel elsewhere', async () => {
      let redirects = 0;
      const redirector: Server = createServer((req, res) => {
        redirects++;
        res.writeHead(302, { location: `${server.baseUrl}${req.url ?? ''}` });
        res.end();
      });
      await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = redirector.address() as AddressInfo;
        const earlier = server.requests.length;
        const error = await failure(client({ baseUrl: `http://127.0.0.1:${port}/api/v1` }).getTask('t'), 'bad-response');
        assert.match(error.message, /redirect/);
        assert.equal(redirects, 1);
        assert.equal(server.requests.length, earlier);
      } finally {
        redirector.closeAllConnections();
        await new Promise((resolve) => redirector.close(resolve));
      }
    });

    test('the base URL is checked: plain http to another host is refused before any request', () => {
      assert.throws(
        () => new WanClient({ baseUrl: 'http://dashscope.aliyuncs.com/api/v1', apiKey: KEY }),
        (error: unknown) => error instanceof WanError && error.kind === 'insecure-url' && /https:\/\//.test(error.message),
      );
      assert.throws(() => new WanClient({ baseUrl: server.baseUrl, apiKey: '  ' }), (error: unknown) => error instanceof WanError && error.kind === 'auth');
    });
  });

  describe('query', () => {
    test('follows a task from PENDING through RUNNING to SUCCEEDED', async () => {
      server.scriptNextTasks({ pendingMs: 150, runningMs: 150 });
      const created = await client().createTask(PARAMS);
      assert.equal((await client().getTask(created.taskId)).status, 'PENDING');
      await waitForStatus(created.taskId, 'RUNNING');
      const done = await waitForStatus(created.taskId, 'SUCCEEDED');
      assert.equal(done.videoUrl, server.videoUrlFor(created.taskId));
    });

    test('a SUCCEEDED task carries its link, prompts, times and usage (SR sent as a string)', async () => {
      server.scriptNextTasks({ pendingMs: 0, runningMs: 0 });
      const created = await client().createTask(PARAMS);
      const task = await client().getTask(created.taskId);
      const serverTask = server.tasks.get(created.taskId);
      assert.ok(serverTask);
      assert.equal(task.status, 'SUCCEEDED');
      assert.equal(task.videoUrl, server.videoUrlFor(created.taskId));
      assert.equal(task.origPrompt, PARAMS.prompt);
      assert.ok(task.actualPrompt?.startsWith(PARAMS.prompt));
      assert.equal(task.submitTime, serverTask.createdAt);
      assert.equal(task.endTime, serverTask.createdAt);
      assert.deepEqual(task.usage, { duration: 5, inputVideoDuration: 0, outputVideoDuration: 5, ratio: '16:9', sr: 720, videoCount: 1 });
      assert.equal(((task.raw as { usage: { SR: unknown } }).usage.SR), '720');
      const sent = server.requestsTo('query').at(-1);
      assert.equal(sent?.headers.authorization, `Bearer ${KEY}`);
      assert.equal(sent?.headers['x-dashscope-async'], undefined);
    });

    test('a 1080P task reports SR as a number', async () => {
      server.scriptNextTasks({ pendingMs: 0, runningMs: 0 });
      const created = await client().createTask(validParams({ prompt: 'p', resolution: '1080P', ratio: '9:16', duration: 12 }));
      const task = await client().getTask(created.taskId);
      assert.deepEqual(task.usage, { duration: 12, inputVideoDuration: 0, outputVideoDuration: 12, ratio: '9:16', sr: 1080, videoCount: 1 });
    });

    test('a RUNNING task has a scheduled time and no link', async () => {
      server.scriptNextTasks({ pendingMs: 0, runningMs: 60_000 });
      const created = await client().createTask(PARAMS);
      const task = await client().getTask(created.taskId);
      assert.equal(task.status, 'RUNNING');
      assert.equal(task.scheduledTime, server.tasks.get(created.taskId)?.createdAt);
      assert.equal(task.videoUrl, undefined);
    });

    test('a FAILED task with a code and message, and one without', async () => {
      server.scriptNextTasks(
        { pendingMs: 0, runningMs: 0, outcome: 'FAILED', code: 'DataInspectionFailed', message: 'Output data may contain inappropriate content.' },
        { pendingMs: 0, runningMs: 0, outcome: 'FAILED' },
      );
      const withCode = await client().getTask((await client().createTask(PARAMS)).taskId);
      assert.equal(withCode.status, 'FAILED');
      assert.equal(withCode.code, 'DataInspectionFailed');
      assert.equal(withCode.message, 'Output data may contain inappropriate content.');
      assert.match(failureReason(withCode), /DataInspectionFailed.*Change the prompt/);
      const bare = await client().getTask((await client().createTask(PARAMS)).taskId);
      assert.equal(bare.status, 'FAILED');
      assert.equal(bare.code, undefined);
      assert.equal(bare.message, undefined);
      assert.match(failureReason(bare), /no reason/);
    });

    test('UNKNOWN for an id the service does not know, or a task that expired', async () => {
      const unknown = await client().getTask(randomUUID());
      assert.equal(unknown.status, 'UNKNOWN');
      assert.match(failureReason(unknown), /expired/);
      server.scriptNextTasks({ pendingMs: 0, runningMs: 0, outcome: 'UNKNOWN' });
      const expired = await client().getTask((await client().createTask(PARAMS)).taskId);
      assert.equal(expired.status, 'UNKNOWN');
    });

    test('a 404 for the task is not-found', async () => {
      const error = await failure(client().getTask('no-such-task'), 'not-found');
      assert.equal(error.status, 404);
      assert.equal(log.at(-1)?.path, '/api/v1/tasks/no-such-task');
      assert.equal(log.at(-1)?.status, 404);
    });

    test('case 7: a proxy\'s HTML 404 for a query is a failed query, not an unknown task', async () => {
      server.failNext('query', { status: 404, rawBody: '<html><body><h1>404 Not Found</h1>nginx</body></html>', contentType: 'text/html' });
      const error = await failure(client().getTask(randomUUID()), 'server');
      assert.equal(error.status, 404);
      assert.match(error.message, /404 Not Found nginx/);
    });

    test('the alternative response shape (status, result_url) is read the same way', async () => {
      server.scriptNextTasks(
        { pendingMs: 0, runningMs: 0, shape: 'status' },
        { pendingMs: 60_000, shape: 'status' },
        { pendingMs: 0, runningMs: 0, outcome: 'FAILED', code: 'InternalError.Timeout', message: 'timed out', shape: 'status' },
      );
      const done = await client().getTask((await client().createTask(PARAMS)).taskId);
      assert.equal(done.status, 'SUCCEEDED');
      assert.equal(done.videoUrl, server.videoUrlFor(done.taskId));
      assert.equal(done.usage?.sr, 720);
      assert.equal((done.raw as { status: string }).status, 'completed');
      const waiting = await client().getTask((await client().createTask(PARAMS)).taskId);
      assert.equal(waiting.status, 'PENDING');
      const failed = await client().getTask((await client().createTask(PARAMS)).taskId);
      assert.equal(failed.status, 'FAILED');
      assert.equal(failed.code, 'InternalError.Timeout');
    });

    test('500 and 503 on a query are retryable server errors', async () => {
      server.failNext('query', { status: 500, code: 'InternalError', message: 'internal' }, { status: 503, rawBody: 'Service Unavailable', contentType: 'text/plain' });
      assert.equal((await failure(client().getTask('t'), 'server')).retryable, true);
      assert.equal((await failure(client().getTask('t'), 'server')).retryable, true);
    });
  });

  describe('cancel', () => {
    test('cancels a PENDING task, which then reads CANCELED', async () => {
      server.scriptNextTasks({ pendingMs: 60_000 });
      const created = await client().createTask(PARAMS);
      const answer = await client().cancelTask(created.taskId);
      assert.ok(answer.requestId);
      const task = await client().getTask(created.taskId);
      assert.equal(task.status, 'CANCELED');
      assert.match(failureReason(task), /cancelled/);
      const sent = server.requestsTo('cancel').at(-1);
      assert.equal(sent?.path, `/api/v1/tasks/${created.taskId}/cancel`);
      assert.equal(sent?.headers.authorization, `Bearer ${KEY}`);
    });

    test('cancelling a task that has started is 400 UnsupportedOperation', async () => {
      server.scriptNextTasks({ pendingMs: 0, runningMs: 60_000 });
      const created = await client().createTask(PARAMS);
      const error = await failure(client().cancelTask(created.taskId), 'invalid-request');
      assert.equal(error.code, 'UnsupportedOperation');
      assert.match(error.advice, /PENDING/);
    });
  });

  describe('list', () => {
    test('lists the tasks of a window with Beijing-time stamps; items carry status, no link', async () => {
      server.scriptNextTasks({ pendingMs: 0, runningMs: 0 }, { pendingMs: 60_000 });
      const first = await client().createTask(PARAMS);
      const second = await client().createTask(PARAMS);
      const startTime = new Date(Date.now() - 3600_000);
      const endTime = new Date(Date.now() + 60_000);
      const { tasks, total } = await client().listTasks({ startTime, endTime, modelName: 'wan2.7-t2v', pageSize: 100 });
      const byId = new Map(tasks.map((task) => [task.taskId, task]));
      assert.equal(byId.get(first.taskId)?.status, 'SUCCEEDED');
      assert.equal(byId.get(second.taskId)?.status, 'PENDING');
      assert.equal(byId.get(first.taskId)?.videoUrl, undefined);
      assert.ok(total !== undefined && total >= 2);
      const sent = new URL(server.requestsTo('list').at(-1)?.path ?? '', server.origin);
      const beijing = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
      assert.equal(sent.searchParams.get('start_time'), beijing(startTime));
      assert.equal(sent.searchParams.get('end_time'), beijing(endTime));
      assert.equal(sent.searchParams.get('model_name'), 'wan2.7-t2v');
      assert.equal(sent.searchParams.get('page_size'), '100');
    });

    test('filters by status', async () => {
      server.scriptNextTasks({ pendingMs: 0, runningMs: 0, outcome: 'FAILED' });
      const failed = await client().createTask(PARAMS);
      const { tasks } = await client().listTasks({ startTime: new Date(Date.now() - 3600_000), endTime: new Date(Date.now() + 60_000), status: 'FAILED', pageSize: 100 });
      assert.ok(tasks.some((task) => task.taskId === failed.taskId));
      assert.ok(tasks.every((task) => task.status === 'FAILED'));
    });

    test('a gateway without list answers not-found', async () => {
      const noList = await WanTestServer.start({ listSupported: false });
      try {
        const error = await failure(
          new WanClient({ baseUrl: noList.baseUrl, apiKey: KEY }).listTasks({ startTime: new Date(Date.now() - 60_000), endTime: new Date() }),
          'not-found',
        );
        assert.equal(error.status, 404);
      } finally {
        await noList.close();
      }
    });
  });
});
