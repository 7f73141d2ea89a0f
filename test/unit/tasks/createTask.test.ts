import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { WanClient } from '../../../src/wan/client';
import { closeDispatcher } from '../../../src/wan/http';
import type { GenerationParams } from '../../../src/wan/params';
import { createWithRetry } from '../../../src/tasks/createTask';
import { WanTestServer } from '../../server/wanServer';
import { failure, validParams } from '../assertions';

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
    params = validParams({ prompt: 'A lighthouse in a storm', seed: 1 });
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

  it('case 4: never repeats a create answered 500, 502, 503 or 504: a gateway may have passed it on', async () => {
    for (const reply of [{ status: 500, code: 'InternalError' }, { status: 503, code: 'ModelUnavailable' }, { status: 502 }, { status: 504, code: 'GatewayTimeout' }]) {
      server.requests.length = 0;
      server.failNext('create', reply);
      const error = await failure(create());
      assert.equal(creates(), 1, `${reply.status}: exactly one create reached the service`);
      assert.equal(error.kind, 'server');
      assert.equal(error.status, reply.status);
      assert.equal(error.requestMayHaveBeenSent, true, 'the Submit Again warning, as after a timeout');
      assert.match(error.advice, /may have gone through/);
    }
    assert.deepEqual(waits, []);
  });

  it('case 4: never repeats a create answered by a proxy\'s HTML 502 or 504 page, and quotes the page readably', async () => {
    for (const status of [502, 504]) {
      server.requests.length = 0;
      server.failNext('create', { status, rawBody: `<html><body><h1>${status} Bad Gateway</h1></body></html>`, contentType: 'text/html' });
      const error = await failure(create());
      assert.equal(creates(), 1, String(status));
      assert.equal(error.requestMayHaveBeenSent, true);
      assert.match(error.message, new RegExp(`${status} Bad Gateway`));
      assert.doesNotMatch(error.message, /<h1>/);
    }
  });

  it('case 5: a 200 answer that is not a task (a wrapped body, a proxy\'s page) may have started one: never repeated', async () => {
    const wrapped = JSON.stringify({ data: { output: { task_id: 'abc', task_status: 'PENDING' } } });
    for (const rawBody of [wrapped, '<html>Welcome to nginx</html>']) {
      server.requests.length = 0;
      server.failNext('create', { status: 200, rawBody, contentType: rawBody.startsWith('{') ? 'application/json' : 'text/html' });
      const error = await failure(create());
      assert.equal(creates(), 1);
      assert.equal(error.kind, 'bad-response');
      assert.equal(error.requestMayHaveBeenSent, true, 'says the service may have started the task');
      assert.match(error.advice, /may have gone through/);
    }
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
