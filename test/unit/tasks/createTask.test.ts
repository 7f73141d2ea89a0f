import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { WanClient } from '../../../src/wan/client';
import { closeDispatcher } from '../../../src/wan/http';
import { validateParams, type GenerationParams } from '../../../src/wan/params';
import { createWithRetry } from '../../../src/tasks/createTask';
import { WanTestServer } from '../../server/wanServer';
import { failure } from '../assertions';

const KEY = 'sk-create-faults';

describe('creating a task when the service or the network fails', () => {
  let server: WanTestServer;
  let client: WanClient;
  let params: GenerationParams;
  let waits: number[];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
    client = new WanClient({ baseUrl: server.baseUrl, apiKey: KEY, timeouts: { headersMs: 300 } });
    const checked = validateParams({ prompt: 'A lighthouse in a storm', seed: 1 });
    assert.ok(checked.params);
    params = checked.params;
  });
  after(async () => {
    await server.close();
    await closeDispatcher();
  });
  beforeEach(() => {
    server.requests.length = 0;
    waits = [];
  });

  const create = () => createWithRetry(() => client.createTask(params), { sleep });
  const creates = () => server.requestsTo('create').length;


  it('retries a refused connection, then says it could not connect', async () => {
    const closed = await WanTestServer.start();
    const baseUrl = closed.baseUrl;
    await closed.close();
    const unreachable = new WanClient({ baseUrl, apiKey: KEY });
    let tries = 0;
    const error = await failure(createWithRetry(() => {
      tries++;
      return unreachable.createTask(params);
    }, { sleep }));
    assert.equal(tries, 3, 'a refused connection started nothing, so it is tried again');
    assert.equal(error.kind, 'network');
    assert.equal(error.requestMayHaveBeenSent, false);
    assert.match(error.message, /refused/);
  });

  it('never repeats a create whose connection broke after the request was sent', async () => {
    server.failNext('create', { drop: 'before-response' });
    const error = await failure(create());
    assert.equal(creates(), 1, 'exactly one create reached the service');
    assert.equal(error.requestMayHaveBeenSent, true);
    assert.deepEqual(waits, []);
  });

  it('never repeats a create that got no answer in time, and says so', async () => {
    server.failNext('create', { hang: true });
    const error = await failure(create());
    assert.equal(creates(), 1);
    assert.equal(error.kind, 'timeout');
    assert.equal(error.requestMayHaveBeenSent, true);
    assert.match(error.advice, /may have gone through/);
  });

  it('waits as long as Retry-After says after a 429, then succeeds', async () => {
    server.failNext('create', { status: 429, code: 'Throttling.RateQuota', message: 'Requests rate limit exceeded', retryAfter: '7' });
    const task = await create();
    assert.ok(task.taskId);
    assert.equal(creates(), 2);
    assert.deepEqual(waits, [7000]);
  });

  it('backs off after a 429 without Retry-After', async () => {
    server.failNext('create', { status: 429, code: 'Throttling' }, { status: 429, code: 'Throttling' });
    await create();
    assert.equal(creates(), 3);
    assert.deepEqual(waits, [1000, 2000]);
  });

  it('does not retry an exhausted free quota (429 AllocationQuota): it will not pass by waiting', async () => {
    server.failNext('create', { status: 429, code: 'Throttling.AllocationQuota', message: 'Free allocated quota exceeded.' });
    const error = await failure(create());
    assert.equal(creates(), 1);
    assert.equal(error.kind, 'quota');
  });

  it('rides out a burst of 500 and 503', async () => {
    server.failNext('create', { status: 500, code: 'InternalError' }, { status: 503, code: 'ModelUnavailable' });
    const task = await create();
    assert.ok(task.taskId);
    assert.equal(creates(), 3);
  });

  it('gives up after three 5xx answers with a message about the service', async () => {
    server.failNext('create', { status: 500 }, { status: 503 }, { status: 500, code: 'SystemError', message: 'system error' });
    const error = await failure(create());
    assert.equal(creates(), 3);
    assert.equal(error.kind, 'server');
    assert.equal(error.status, 500);
  });

  it('reads a proxy\'s HTML 502 as a clear, retryable error', async () => {
    server.failNext('create', { status: 502, rawBody: '<html><body><h1>502 Bad Gateway</h1></body></html>', contentType: 'text/html' });
    const task = await create();
    assert.ok(task.taskId, 'retried after the 502');
    server.failNext('create', ...Array.from({ length: 3 }, () => ({ status: 502, rawBody: '<html><h1>502 Bad Gateway</h1></html>', contentType: 'text/html' })));
    const error = await failure(create());
    assert.match(error.message, /502/);
    assert.match(error.message, /Bad Gateway/);
    assert.doesNotMatch(error.message, /<h1>/);
  });

  it('does not retry what only the user can fix', async () => {
    for (const [status, code, kind] of [[401, 'InvalidApiKey', 'auth'], [400, 'DataInspectionFailed', 'moderation'], [400, 'Arrearage', 'arrearage'], [403, 'AccessDenied.Unpurchased', 'access']] as const) {
      server.requests.length = 0;
      server.failNext('create', { status, code });
      const error = await failure(create());
      assert.equal(creates(), 1, code);
      assert.equal(error.kind, kind, code);
    }
  });
});
