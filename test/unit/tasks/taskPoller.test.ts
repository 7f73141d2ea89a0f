import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WanError } from '../../../src/wan/errors';
import type { TaskStatus, WanTask } from '../../../src/wan/task';
import { backoffDelay, nextPollDelay, TaskPoller } from '../../../src/tasks/taskPoller';
import type { TaskRecord } from '../../../src/tasks/taskRecord';
import { TaskStore } from '../../../src/tasks/taskStore';
import { makeRecord, ManualClock, MemoryStorage } from './helpers';

const SECOND = 1000;

function task(taskId: string, status: TaskStatus, extra: Partial<WanTask> = {}): WanTask {
  return { taskId, status, raw: { output: { task_id: taskId, task_status: status } }, ...extra };
}

/** A fake service: each task answers the statuses of its script in turn, repeating the last. */
function scriptedQuery(scripts: Record<string, (WanTask | Error)[]>, log: { id: string; at: number }[], clock: ManualClock) {
  return async (record: TaskRecord): Promise<WanTask> => {
    log.push({ id: record.taskId, at: clock.now() });
    const script = scripts[record.taskId];
    const answer = script.length > 1 ? script.shift()! : script[0];
    if (answer instanceof Error) throw answer;
    return answer;
  };
}

function setup(records: TaskRecord[], scripts: Record<string, (WanTask | Error)[]>) {
  const clock = new ManualClock();
  const storage = new MemoryStorage();
  const store = new TaskStore(storage);
  for (const r of records) void store.add({ ...r, createdAt: r.createdAt === 0 ? clock.now() : r.createdAt });
  const queries: { id: string; at: number }[] = [];
  const finished: TaskRecord[] = [];
  const poller = new TaskPoller({
    store,
    queryTask: scriptedQuery(scripts, queries, clock),
    onFinished: (r) => finished.push(r),
    clock,
    random: () => 0.5,
  });
  return { clock, storage, store, queries, finished, poller };
}

describe('poll schedule', () => {
  it('checks a queued task less often as it waits, within 5–30 s', () => {
    const created = 0;
    const record = makeRecord('t', { createdAt: created, status: 'PENDING' });
    assert.equal(nextPollDelay(record, created + 1 * SECOND), 5 * SECOND);
    assert.equal(nextPollDelay(record, created + 60 * SECOND), 15 * SECOND);
    assert.equal(nextPollDelay(record, created + 600 * SECOND), 30 * SECOND);
  });

  it('checks a running task often at first, then every 15 s', () => {
    const record = makeRecord('t', { createdAt: 0, status: 'RUNNING', runningSeenAt: 100 * SECOND });
    assert.equal(nextPollDelay(record, 101 * SECOND), 3 * SECOND);
    assert.equal(nextPollDelay(record, 160 * SECOND), 6 * SECOND);
    assert.equal(nextPollDelay(record, 400 * SECOND), 15 * SECOND);
  });

  it('backs off exponentially up to 5 minutes and honours Retry-After', () => {
    assert.equal(backoffDelay(1, undefined, true), 2 * SECOND);
    assert.equal(backoffDelay(3, undefined, true), 8 * SECOND);
    assert.equal(backoffDelay(20, undefined, true), 300 * SECOND);
    assert.equal(backoffDelay(1, 42 * SECOND, true), 42 * SECOND);
    assert.ok(backoffDelay(1, undefined, false) >= 30 * SECOND, 'non-retryable errors wait longer');
  });
});

describe('task poller', () => {
  it('follows a task to SUCCEEDED with one timer, recording what the service said', async () => {
    const { clock, store, queries, finished, poller } = setup([makeRecord('a', { createdAt: 0 })], {
      a: [task('a', 'PENDING'), task('a', 'RUNNING'), task('a', 'RUNNING'), task('a', 'SUCCEEDED', { videoUrl: 'https://example.com/v.mp4', usage: { duration: 5 } })],
    });
    poller.pollSoon('a', 4 * SECOND);
    await clock.advance(10 * 60 * SECOND);
    assert.equal(queries.length, 4);
    assert.equal(clock.maxPending, 1, 'never more than one timer');
    assert.equal(finished.length, 1);
    const record = store.get('a')!;
    assert.equal(record.status, 'SUCCEEDED');
    assert.equal(record.videoUrl, 'https://example.com/v.mp4');
    assert.ok(record.runningSeenAt !== undefined);
    assert.ok(record.finishedAt !== undefined);
    assert.equal(clock.pending, 0, 'no timer left once nothing is active');
    poller.dispose();
  });

  it('spaces queries out as a task waits in the queue', async () => {
    const { clock, queries, poller } = setup([makeRecord('a', { createdAt: 0 })], { a: [task('a', 'PENDING')] });
    poller.pollSoon('a');
    await clock.advance(10 * 60 * SECOND);
    const gaps = queries.slice(1).map((q, i) => q.at - queries[i].at);
    assert.ok(gaps.length > 10);
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] >= gaps[i - 1] * 0.85, `gap ${i} shrank: ${gaps}`);
    assert.ok(Math.max(...gaps) <= 33 * SECOND);
    assert.ok(queries.length < 10 * 60 / 5, 'fewer queries than a fixed 5 s interval');
    poller.dispose();
  });

  it('stops at every terminal status', async () => {
    for (const status of ['FAILED', 'CANCELED', 'UNKNOWN'] as const) {
      const { clock, queries, finished, poller, store } = setup([makeRecord('a', { createdAt: 0 })], { a: [task('a', status, { code: status === 'FAILED' ? 'DataInspectionFailed' : undefined })] });
      poller.pollSoon('a');
      await clock.advance(60 * 60 * SECOND);
      assert.equal(queries.length, 1, `${status} is queried once`);
      assert.equal(finished.length, 1);
      assert.equal(store.get('a')!.status, status);
      poller.dispose();
    }
  });

  it('marks a task the service answers 404 for as UNKNOWN and stops', async () => {
    const notFound = new WanError({ kind: 'not-found', message: 'no such task', status: 404 });
    const { clock, queries, store, poller } = setup([makeRecord('a', { createdAt: 0 })], { a: [notFound] });
    poller.pollSoon('a');
    await clock.advance(60 * 60 * SECOND);
    assert.equal(queries.length, 1);
    assert.equal(store.get('a')!.status, 'UNKNOWN');
    poller.dispose();
  });

  it('backs off on 429 without giving up, honouring Retry-After, and shows the problem on the task', async () => {
    const throttled = new WanError({ kind: 'throttled', message: 'Throttling', status: 429, retryable: true, retryAfterMs: 20 * SECOND });
    const { clock, queries, store, poller } = setup([makeRecord('a', { createdAt: 0 })], {
      a: [throttled, throttled, task('a', 'SUCCEEDED', { videoUrl: 'https://example.com/v.mp4' })],
    });
    poller.pollSoon('a');
    await clock.advance(1);
    assert.equal(store.get('a')!.lastError, 'Throttling');
    await clock.advance(10 * 60 * SECOND);
    assert.equal(queries.length, 3);
    assert.ok(queries[1].at - queries[0].at >= 20 * SECOND * 0.9, 'waited for Retry-After');
    assert.equal(store.get('a')!.status, 'SUCCEEDED');
    assert.equal(store.get('a')!.lastError, undefined, 'a good answer clears the problem');
    poller.dispose();
  });

  it('resumes every unfinished task after a restart, and not the finished ones', async () => {
    const storage = new MemoryStorage();
    const before = new TaskStore(storage);
    const clock = new ManualClock();
    const now = clock.now();
    await before.add(makeRecord('queued', { createdAt: now, status: 'PENDING' }));
    await before.add(makeRecord('running', { createdAt: now, status: 'RUNNING' }));
    await before.add(makeRecord('done', { createdAt: now, status: 'SUCCEEDED' }));
    await before.add(makeRecord('failed', { createdAt: now, status: 'FAILED' }));

    // A new window: a new store over the same storage, a new poller.
    const store = new TaskStore(storage);
    const queried: string[] = [];
    const poller = new TaskPoller({
      store,
      queryTask: async (record) => {
        queried.push(record.taskId);
        return task(record.taskId, 'SUCCEEDED');
      },
      onFinished: () => undefined,
      clock,
    });
    await poller.resumeAll();
    await clock.advance(SECOND);
    assert.deepEqual(queried.sort(), ['queued', 'running']);
    assert.equal(new TaskStore(storage).get('running')!.status, 'SUCCEEDED', 'the outcome is persisted');
    poller.dispose();
  });

  it('marks tasks older than 24 h as expired instead of polling them', async () => {
    const clock = new ManualClock();
    const { store, queries, poller } = setup([makeRecord('old', { createdAt: clock.now() - 25 * 3600 * SECOND, status: 'RUNNING' })], { old: [task('old', 'RUNNING')] });
    await poller.resumeAll();
    await clock.advance(60 * SECOND);
    assert.equal(queries.length, 0);
    assert.equal(store.get('old')!.status, 'EXPIRED');
    poller.dispose();
  });

  it('queries at most four tasks at once and still reaches them all', async () => {
    const records = Array.from({ length: 10 }, (_, i) => makeRecord(`t${i}`, { createdAt: 0 }));
    const scripts = Object.fromEntries(records.map((r) => [r.taskId, [task(r.taskId, 'SUCCEEDED')]]));
    const { clock, finished, poller } = setup(records, scripts);
    await poller.resumeAll();
    await clock.advance(SECOND);
    assert.equal(finished.length, 10);
    poller.dispose();
  });

  it('stops querying when disposed', async () => {
    const { clock, queries, poller } = setup([makeRecord('a', { createdAt: 0 })], { a: [task('a', 'PENDING')] });
    poller.pollSoon('a');
    await clock.advance(SECOND);
    poller.dispose();
    const count = queries.length;
    await clock.advance(10 * 60 * SECOND);
    assert.equal(queries.length, count);
  });
});
