import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { WanClient } from '../../../src/wan/client';
import { closeDispatcher } from '../../../src/wan/http';
import { failureReason } from '../../../src/wan/task';
import { TaskPoller } from '../../../src/tasks/taskPoller';
import type { TaskRecord } from '../../../src/tasks/taskRecord';
import { TaskStore } from '../../../src/tasks/taskStore';
import { type Fault, type TaskScript, WanTestServer } from '../../server/wanServer';
import { validParams } from '../assertions';
import { makeRecord, MemoryStorage } from './helpers';

const KEY = 'sk-poll-faults';

describe('polling when the service or the network fails', () => {
  let server: WanTestServer;
  let client: WanClient;

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
    client = new WanClient({ baseUrl: server.baseUrl, apiKey: KEY, timeouts: { headersMs: 300 } });
  });
  after(async () => {
    await server.close();
    await closeDispatcher();
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  /** Creates a task on the server and polls it (time scaled down) until it finishes. */
  async function follow(script: TaskScript, faults: Fault[] = [], taskId?: string): Promise<{ record: TaskRecord; queries: number; finishedCalls: number }> {
    let id = taskId;
    let params = makeRecord('x').params;
    if (!id) {
      server.scriptNextTasks(script);
      params = validParams({ prompt: 'A long running task', seed: 5 });
      id = (await client.createTask(params)).taskId;
    }
    server.failNext('query', ...faults);
    const store = new TaskStore(new MemoryStorage());
    await store.add(makeRecord(id, { baseUrl: server.baseUrl, params }));
    let finishedCalls = 0;
    const poller = new TaskPoller({ store, queryTask: (r, signal) => client.getTask(r.taskId, signal), onFinished: () => finishedCalls++, timeScale: 0.01 });
    poller.pollSoon(id);
    const deadline = Date.now() + 15_000;
    while (finishedCalls === 0) {
      assert.ok(Date.now() < deadline, `task still ${store.get(id)!.status}; last problem: ${store.get(id)!.lastError}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // nothing more may happen after the end
    poller.dispose();
    const queries = server.requestsTo('query').filter((r) => r.path.endsWith(id!)).length;
    return { record: store.get(id)!, queries, finishedCalls };
  }

  it('keeps polling through 500, 503, 429, a reset, an HTML 502 and a timeout, and ends in the true state', async () => {
    const faults: Fault[] = [
      { status: 500, code: 'InternalError' },
      { status: 503, code: 'ModelUnavailable' },
      { status: 429, code: 'Throttling', retryAfter: '1' },
      { drop: 'before-response' },
      { status: 502, rawBody: '<html><h1>Bad Gateway</h1></html>', contentType: 'text/html' },
      { hang: true },
    ];
    const { record, queries, finishedCalls } = await follow({ pendingMs: 200, runningMs: 1500 }, faults);
    assert.equal(record.status, 'SUCCEEDED');
    assert.ok(record.videoUrl, 'the link arrived');
    assert.equal(record.lastError, undefined, 'the passing problems are cleared');
    assert.ok(queries >= faults.length + 1);
    assert.equal(finishedCalls, 1);
  });

  it('stops at UNKNOWN', async () => {
    const { record, queries } = await follow({ pendingMs: 50, runningMs: 50, outcome: 'UNKNOWN' });
    assert.equal(record.status, 'UNKNOWN');
    const countAtEnd = server.requestsTo('query').length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(server.requestsTo('query').length, countAtEnd, 'no query after UNKNOWN');
    assert.ok(queries >= 1);
  });

  it('stops when the service answers 404 for the task', async () => {
    const { record, queries } = await follow({}, [], 'not-a-task-id');
    assert.equal(record.status, 'UNKNOWN');
    assert.equal(queries, 1);
  });

  it('case 7: an HTML 404 from a proxy does not end a fresh task; it is retried until the task ends', async () => {
    const page: Fault = { status: 404, rawBody: '<html><h1>404 Not Found</h1><hr>cdn</html>', contentType: 'text/html' };
    const { record, queries } = await follow({ pendingMs: 50, runningMs: 200 }, [page]);
    assert.equal(record.status, 'SUCCEEDED');
    assert.ok(record.videoUrl, 'the link arrived');
    assert.ok(queries >= 2, `${queries} queries`);
  });

  it('ends a FAILED task without code or message with a readable reason', async () => {
    const { record } = await follow({ pendingMs: 50, runningMs: 50, outcome: 'FAILED' });
    assert.equal(record.status, 'FAILED');
    assert.equal(record.code, undefined);
    const reason = failureReason({ taskId: record.taskId, status: 'FAILED', code: record.code, message: record.message, raw: undefined });
    assert.match(reason, /failed/i);
    assert.ok(reason.length > 20, reason);
  });

  it('resumes after the extension host restarts in the middle of a query, and finishes once', async () => {
    server.scriptNextTasks({ pendingMs: 100, runningMs: 300 });
    const id = (await client.createTask(validParams({ prompt: 'Restarted', seed: 3 }))).taskId;
    server.failNext('query', { hang: true });
    const storage = new MemoryStorage();
    const storeBeforeRestart = new TaskStore(storage);
    await storeBeforeRestart.add(makeRecord(id, { baseUrl: server.baseUrl }));
    const first = new TaskPoller({ store: storeBeforeRestart, queryTask: (r, signal) => client.getTask(r.taskId, signal), onFinished: () => assert.fail('the first host never finishes'), timeScale: 0.01 });
    first.pollSoon(id);
    while (server.requestsTo('query').length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    first.dispose(); // the host goes away while its query hangs

    const storeAfterRestart = new TaskStore(storage);
    let finished = 0;
    const second = new TaskPoller({ store: storeAfterRestart, queryTask: (r, signal) => client.getTask(r.taskId, signal), onFinished: () => finished++, timeScale: 0.01 });
    await second.resumeAll();
    const deadline = Date.now() + 10_000;
    while (finished === 0) {
      assert.ok(Date.now() < deadline, `still ${storeAfterRestart.get(id)!.status}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(storeAfterRestart.get(id)!.status, 'SUCCEEDED');
    assert.equal(finished, 1);
    second.dispose();
  });

  it('shows a passing problem on the task while it lasts', async () => {
    server.scriptNextTasks({ pendingMs: 5000 });
    const id = (await client.createTask(validParams({ prompt: 'Throttled', seed: 1 }))).taskId;
    server.failNext('query', { status: 429, code: 'Throttling', message: 'Requests rate limit exceeded', retryAfter: '100' });
    const store = new TaskStore(new MemoryStorage());
    await store.add(makeRecord(id, { baseUrl: server.baseUrl }));
    const poller = new TaskPoller({ store, queryTask: (r, signal) => client.getTask(r.taskId, signal), onFinished: () => undefined, timeScale: 0.01 });
    poller.pollSoon(id);
    const deadline = Date.now() + 5000;
    while (!store.get(id)!.lastError) {
      assert.ok(Date.now() < deadline);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(store.get(id)!.lastError!, /429|rate limit/i);
    assert.equal(store.get(id)!.status, 'PENDING', 'a throttled query changes nothing else');
    poller.dispose();
  });
});
