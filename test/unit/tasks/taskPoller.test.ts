import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WanError } from '../../../src/wan/errors';
import type { TaskStatus, WanTask } from '../../../src/wan/task';
import { backoffDelay, estimateRunTime, nextPollDelay, priorEstimate } from '../../../src/tasks/pollSchedule';
import { TaskPoller, type ListWindow } from '../../../src/tasks/taskPoller';
import { elapsedOf, type TaskRecord } from '../../../src/tasks/taskRecord';
import { TaskStore } from '../../../src/tasks/taskStore';
import { makeRecord, ManualClock, MemoryStorage, memoryLog } from './helpers';

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

/** Tasks that queue and run for set times on the fake clock, answering as the service does (with its times). */
class TimedService {
  readonly queries: { id: string; at: number }[] = [];
  readonly lists: { at: number; window: ListWindow }[] = [];
  private readonly tasks = new Map<string, { created: number; start: number; end: number }>();

  constructor(private readonly clock: ManualClock) {}

  add(taskId: string, pendingMs: number, runningMs: number): void {
    const created = this.clock.now();
    this.tasks.set(taskId, { created, start: created + pendingMs, end: created + pendingMs + runningMs });
  }

  endOf(taskId: string): number {
    return this.tasks.get(taskId)!.end;
  }

  answer(taskId: string, withLink: boolean): WanTask {
    const t = this.tasks.get(taskId)!;
    const now = this.clock.now();
    const status: TaskStatus = now < t.start ? 'PENDING' : now < t.end ? 'RUNNING' : 'SUCCEEDED';
    const answer = task(taskId, status, { submitTime: t.created });
    if (status !== 'PENDING') answer.scheduledTime = t.start;
    if (status === 'SUCCEEDED') answer.endTime = t.end;
    if (status === 'SUCCEEDED' && withLink) answer.videoUrl = `https://example.com/${taskId}.mp4`;
    return answer;
  }

  readonly queryTask = async (record: TaskRecord): Promise<WanTask> => {
    this.queries.push({ id: record.taskId, at: this.clock.now() });
    return this.answer(record.taskId, true);
  };

  readonly listTasks = async (_record: TaskRecord, window: ListWindow): Promise<WanTask[]> => {
    this.lists.push({ at: this.clock.now(), window });
    return [...this.tasks.keys()].map((id) => this.answer(id, false));
  };
}

/** Earlier tasks of the same size that ran `runsMs` each, finished an hour ago. */
function history(clock: ManualClock, runsMs: number[]): TaskRecord[] {
  return runsMs.map((ms, i) => {
    const start = clock.now() - 3600 * SECOND - i * 600 * SECOND;
    return makeRecord(`past${i}`, { createdAt: start - 10 * SECOND, status: 'SUCCEEDED', submitTime: start - 10 * SECOND, scheduledTime: start, endTime: start + ms, finishedAt: start + ms, download: { state: 'done', path: '/x.mp4', bytes: 1, at: start + ms } });
  });
}

describe('poll schedule', () => {
  const estimate = { medianMs: 120 * SECOND, spread: 0.15 };

  /** The running times at which a task is queried, from its start until `untilMs`. */
  function queryTimes(untilMs: number): number[] {
    const times: number[] = [];
    for (let at = 0; at < untilMs; at += nextPollDelay({ status: 'RUNNING', runningMs: at }, estimate)) times.push(at);
    return times;
  }

  it('checks a queued task every third of its shortest likely run, within 5–30 s', () => {
    assert.equal(nextPollDelay({ status: 'PENDING' }, estimate), 120 * SECOND * Math.exp(-0.3) / 3);
    assert.equal(nextPollDelay({ status: 'PENDING' }, { medianMs: 600 * SECOND, spread: 0.15 }), 30 * SECOND);
    assert.equal(nextPollDelay({ status: 'PENDING' }, { medianMs: 5 * SECOND, spread: 0.15 }), 5 * SECOND);
  });

  it('asks a running task rarely long before its likely end, never less than every 30 s', () => {
    const early = queryTimes(80 * SECOND);
    assert.ok(early.length <= 6, `${early.length} queries in the first 80 s of a 120 s run`);
    const gaps = early.slice(1).map((at, i) => at - early[i]);
    for (const gap of gaps) assert.ok(gap <= 30 * SECOND, `a ${gap} ms silence`);
  });

  it('asks every few seconds around the likely end, closer when the history is consistent', () => {
    const atMedian = nextPollDelay({ status: 'RUNNING', runningMs: 120 * SECOND }, estimate);
    assert.ok(atMedian >= 1.5 * SECOND && atMedian <= 3 * SECOND, `${atMedian}`);
    const around = queryTimes(140 * SECOND).filter((at) => at >= 100 * SECOND);
    assert.ok(around.length >= 8, `${around.length} queries between 100 and 140 s`);
    const loose = nextPollDelay({ status: 'RUNNING', runningMs: 120 * SECOND }, { medianMs: 120 * SECOND, spread: 0.5 });
    assert.ok(loose > atMedian && loose <= 5 * SECOND, `${loose}`);
  });

  it('spreads out to the documented 15 s when a task runs far past its likely end', () => {
    const late = nextPollDelay({ status: 'RUNNING', runningMs: 160 * SECOND }, estimate);
    assert.ok(late > nextPollDelay({ status: 'RUNNING', runningMs: 120 * SECOND }, estimate) && late < 15 * SECOND, `${late}`);
    assert.equal(nextPollDelay({ status: 'RUNNING', runningMs: 600 * SECOND }, estimate), 15 * SECOND);
  });

  it('learns how long tasks of a size run from the earlier ones, and trusts a few samples less', () => {
    const prior = priorEstimate({ resolution: '720P', duration: 5 });
    assert.equal(estimateRunTime([], prior), prior);
    const runs = [100, 104, 96, 110, 92, 101, 99, 105].map((s) => s * SECOND);
    const learned = estimateRunTime(runs, prior);
    assert.ok(Math.abs(learned.medianMs - 100 * SECOND) < 5 * SECOND, `${learned.medianMs}`);
    assert.ok(learned.spread < prior.spread / 2, `${learned.spread}`);
    assert.ok(estimateRunTime(runs.slice(0, 1), prior).spread > learned.spread, 'one sample is not enough to be sure');
    assert.ok(priorEstimate({ resolution: '1080P', duration: 15 }).medianMs > prior.medianMs, 'bigger clips take longer');
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

  it('asks about a queued task rarely, since the service tells later when it started', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    const store = new TaskStore(storage);
    for (const past of history(clock, [100, 104, 96, 110, 92].map((s) => s * SECOND))) await store.add(past);
    const queries: { id: string; at: number }[] = [];
    const poller = new TaskPoller({ store, queryTask: scriptedQuery({ a: [task('a', 'PENDING')] }, queries, clock), onFinished: () => undefined, clock, random: () => 0.5 });
    await store.add(makeRecord('a', { createdAt: clock.now() }));
    const writes = storage.writes;
    poller.pollSoon('a');
    await clock.advance(10 * 60 * SECOND);
    const gaps = queries.slice(1).map((q, i) => q.at - queries[i].at);
    for (const gap of gaps) assert.ok(gap >= 20 * SECOND && gap <= 33 * SECOND, `gap ${gap}`);
    assert.equal(storage.writes, writes, 'an answer that changes nothing is not written');
    poller.dispose();
  });

  it('aims at the likely end from the history of tasks of the same size: the video within seconds, with half the queries of the official SDK', async () => {
    const clock = new ManualClock();
    const store = new TaskStore(new MemoryStorage());
    for (const past of history(clock, [100, 104, 96, 110, 92, 101, 99, 105].map((s) => s * SECOND))) await store.add(past);
    // Another size's history says nothing about this one.
    for (const past of history(clock, [400, 410, 390].map((s) => s * SECOND))) await store.add({ ...past, taskId: `big-${past.taskId}`, params: { ...past.params, resolution: '1080P', duration: 15 } });
    const service = new TimedService(clock);
    const finishedAt: number[] = [];
    const poller = new TaskPoller({ store, queryTask: service.queryTask, onFinished: () => finishedAt.push(clock.now()), clock, random: () => 0.5 });
    service.add('a', 20 * SECOND, 103 * SECOND);
    await store.add(makeRecord('a', { createdAt: clock.now() }));
    poller.pollSoon('a', 4 * SECOND);
    await clock.advance(10 * 60 * SECOND);
    assert.equal(finishedAt.length, 1);
    const delay = finishedAt[0] - service.endOf('a');
    assert.ok(delay <= 4 * SECOND, `seen ${delay} ms after the end`);
    // The official SDKs: at once, then 1 s, doubling every third query up to 5 s.
    const sdkQueries = 10 + Math.ceil((123 - 21) / 5);
    assert.ok(service.queries.length <= sdkQueries / 2, `${service.queries.length} queries, the SDK would make ${sdkQueries}`);
    poller.dispose();
  });

  it('asks about many tasks on one endpoint with one list call, then the ended ones on their own for the link', async () => {
    const clock = new ManualClock();
    const store = new TaskStore(new MemoryStorage());
    const service = new TimedService(clock);
    const finished: TaskRecord[] = [];
    const poller = new TaskPoller({ store, queryTask: service.queryTask, listTasks: service.listTasks, onFinished: (r) => finished.push(r), clock, random: () => 0.5 });
    for (let i = 0; i < 10; i++) {
      service.add(`t${i}`, 10 * SECOND + i * 5 * SECOND, 100 * SECOND + i * 7 * SECOND);
      await store.add(makeRecord(`t${i}`, { createdAt: clock.now() }));
      poller.pollSoon(`t${i}`, 4 * SECOND);
    }
    await clock.advance(30 * 60 * SECOND);
    assert.equal(finished.length, 10);
    for (const record of finished) assert.ok(record.videoUrl, 'each ended task was queried for its link');
    // The last task left alone is queried on its own: a list call would cost as much and lack the link.
    const last = finished[finished.length - 1].taskId;
    for (const record of finished.slice(0, -1)) {
      assert.equal(service.queries.filter((q) => q.id === record.taskId).length, 1, `${record.taskId}: one single query, for the link`);
    }
    assert.ok(service.queries.filter((q) => q.id === last).length <= 4);
    const perTask = (service.queries.length + service.lists.length) / 10;
    const sdkPerTask = finished.reduce((sum, r) => sum + 10 + Math.ceil((service.endOf(r.taskId) - r.createdAt - 21 * SECOND) / (5 * SECOND)), 0) / 10;
    assert.ok(perTask < sdkPerTask / 5, `${perTask} requests per task; the official SDK's schedule would make ${sdkPerTask}`);
    for (const { at, window } of service.lists) {
      assert.ok(window.startTime <= at - 60 * SECOND && window.endTime >= at, 'the window holds every task, with a margin for clock skew');
      assert.ok(window.endTime - window.startTime <= 24 * 3600 * SECOND);
    }
    poller.dispose();
  });

  it('queries one by one, and never lists again, where the endpoint has no list call', async () => {
    const clock = new ManualClock();
    const store = new TaskStore(new MemoryStorage());
    const service = new TimedService(clock);
    let lists = 0;
    const logs: string[] = [];
    const poller = new TaskPoller({
      store,
      queryTask: service.queryTask,
      listTasks: async () => {
        lists++;
        throw new WanError({ kind: 'not-found', status: 404, message: 'No such API: GET /tasks' });
      },
      onFinished: () => undefined,
      log: memoryLog(logs),
      clock,
      random: () => 0.5,
    });
    for (const id of ['a', 'b', 'c']) {
      service.add(id, 10 * SECOND, 60 * SECOND);
      await store.add(makeRecord(id, { createdAt: clock.now() }));
    }
    await poller.resumeAll();
    await clock.advance(10 * 60 * SECOND);
    assert.equal(lists, 1);
    assert.ok(logs.some((line) => /one by one/.test(line)), logs.join('\n'));
    assert.deepEqual(['a', 'b', 'c'].map((id) => store.get(id)!.status), ['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    assert.equal(store.get('a')!.lastError, undefined, 'a missing list call is no problem of the task');
    poller.dispose();
  });

  it('case 1: a list call that keeps failing (401, 403, 5xx, network) falls back to single queries for that endpoint', async () => {
    const failures = [
      new WanError({ kind: 'auth', status: 401, code: 'InvalidApiKey', message: 'Invalid API-key provided.' }),
      new WanError({ kind: 'access', status: 403, code: 'AccessDenied', message: 'Access denied.' }),
      new WanError({ kind: 'server', status: 500, code: 'InternalError', message: 'internal', retryable: true }),
      new WanError({ kind: 'server', status: 502, message: 'The service answered HTTP 502 with a page that is not the Wan API.', retryable: true }),
      new WanError({ kind: 'network', message: 'The connection was reset.', retryable: true }),
    ];
    for (const failure of failures) {
      const clock = new ManualClock();
      const store = new TaskStore(new MemoryStorage());
      const service = new TimedService(clock);
      let lists = 0;
      const poller = new TaskPoller({
        store,
        queryTask: service.queryTask,
        listTasks: async () => {
          lists++;
          throw failure;
        },
        onFinished: () => undefined,
        clock,
        random: () => 0.5,
      });
      for (const id of ['a', 'b']) {
        service.add(id, 10 * SECOND, 60 * SECOND);
        await store.add(makeRecord(id, { createdAt: clock.now() }));
      }
      await poller.resumeAll();
      await clock.advance(25 * 3600 * SECOND);
      const statuses = ['a', 'b'].map((id) => store.get(id)!.status);
      assert.deepEqual(statuses, ['SUCCEEDED', 'SUCCEEDED'], `${failure.message}: ${lists} list calls, ${service.queries.length} queries`);
      assert.equal(lists, 1, `${failure.message}: the endpoint is not asked to list again`);
      poller.dispose();
    }
  });

  it('never starts more than 2 queries in a second, however many tasks are due', async () => {
    const records = Array.from({ length: 40 }, (_, i) => makeRecord(`t${i}`, { createdAt: 0 }));
    const scripts = Object.fromEntries(records.map((r) => [r.taskId, [task(r.taskId, 'PENDING'), task(r.taskId, 'SUCCEEDED')]]));
    const { clock, queries, finished, poller } = setup(records, scripts);
    await poller.resumeAll();
    await clock.advance(5 * 60 * SECOND);
    assert.equal(finished.length, 40, 'every task is reached');
    const times = queries.map((q) => q.at).sort((a, b) => a - b);
    for (let i = 2; i < times.length; i++) assert.ok(times[i] - times[i - 2] >= SECOND, `3 queries within ${times[i] - times[i - 2]} ms`);
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

  it('case 7: Refresh asks again about every unfinished or UNKNOWN task younger than 24 h', async () => {
    const clock = new ManualClock();
    const hour = 3600 * SECOND;
    const records = [
      makeRecord('unknown-fresh', { createdAt: clock.now() - hour, status: 'UNKNOWN', finishedAt: clock.now() - hour, message: 'The service does not know this task (404 NotFound).' }),
      makeRecord('unknown-old', { createdAt: clock.now() - 25 * hour, status: 'UNKNOWN', finishedAt: clock.now() - 25 * hour }),
      makeRecord('running', { createdAt: clock.now() - hour, status: 'RUNNING' }),
      makeRecord('done', { createdAt: clock.now() - hour, status: 'SUCCEEDED' }),
    ];
    const link = (id: string) => task(id, 'SUCCEEDED', { videoUrl: `https://example.com/${id}.mp4` });
    const { clock: serviceClock, store, queries, finished, poller } = setup(records, {
      'unknown-fresh': [link('unknown-fresh')],
      'unknown-old': [link('unknown-old')],
      running: [link('running')],
      done: [link('done')],
    });
    await poller.refreshAll();
    await serviceClock.advance(60 * SECOND);
    assert.deepEqual(queries.map((q) => q.id).sort(), ['running', 'unknown-fresh']);
    const revived = store.get('unknown-fresh')!;
    assert.equal(revived.status, 'SUCCEEDED');
    assert.equal(revived.videoUrl, 'https://example.com/unknown-fresh.mp4');
    assert.equal(revived.message, undefined, 'the old reason is gone');
    assert.deepEqual(finished.map((r) => r.taskId).sort(), ['running', 'unknown-fresh']);
    assert.equal(store.get('unknown-old')!.status, 'UNKNOWN');
    poller.dispose();
  });

  it('case 7: Refresh leaves a task the service still does not know UNKNOWN, without a second notice', async () => {
    const clock = new ManualClock();
    const { clock: serviceClock, store, queries, finished, poller } = setup(
      [makeRecord('gone', { createdAt: clock.now() - 3600 * SECOND, status: 'UNKNOWN', finishedAt: clock.now() - 3600 * SECOND })],
      { gone: [task('gone', 'UNKNOWN')] },
    );
    await poller.refreshAll();
    await serviceClock.advance(60 * SECOND);
    assert.equal(queries.length, 1);
    assert.equal(store.get('gone')!.status, 'UNKNOWN');
    assert.equal(finished.length, 0, 'the user was told once already');
    poller.dispose();
  });

  it('case 8: a lease claim that throws (ENOSPC) shows the problem on the task and keeps it scheduled', async () => {
    const clock = new ManualClock();
    const store = new TaskStore(new MemoryStorage());
    const service = new TimedService(clock);
    let claims = 0;
    const poller = new TaskPoller({
      store,
      queryTask: service.queryTask,
      claim: async () => {
        claims++;
        if (claims <= 2) throw Object.assign(new Error("ENOSPC: no space left on device, open '/storage/leases/a.poll.lease'"), { code: 'ENOSPC' });
        return true;
      },
      onFinished: () => undefined,
      clock,
      random: () => 0.5,
    });
    service.add('a', 10 * SECOND, 60 * SECOND);
    await store.add(makeRecord('a', { createdAt: clock.now() }));
    poller.pollSoon('a');
    await clock.advance(1);
    assert.match(store.get('a')!.lastError ?? '', /ENOSPC.*free disk space/i, 'the failure shows on the task, with what to do');
    await clock.advance(10 * 60 * SECOND);
    assert.ok(claims > 2, `${claims} claims`);
    assert.equal(store.get('a')!.status, 'SUCCEEDED');
    assert.equal(store.get('a')!.lastError, undefined);
    poller.dispose();
  });

  it('case 8: a storage write that throws during a poll round keeps the task scheduled', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    const store = new TaskStore(storage);
    const service = new TimedService(clock);
    const finished: string[] = [];
    const poller = new TaskPoller({ store, queryTask: service.queryTask, onFinished: (r) => finished.push(r.taskId), clock, random: () => 0.5 });
    service.add('a', 0, 30 * SECOND);
    await store.add(makeRecord('a', { createdAt: clock.now() }));
    storage.update = () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }));
    poller.pollSoon('a');
    await clock.advance(10 * 60 * SECOND);
    assert.deepEqual(finished, ['a'], 'the end is seen and the video handed on although nothing could be written');
    assert.equal(store.get('a')!.status, 'SUCCEEDED');
    assert.match(store.get('a')!.lastError ?? '', /EACCES/, 'the failure shows on the task');
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

  it('marks tasks older than 24 h as expired once a last query finds them unfinished', async () => {
    const { clock, store, queries, poller } = setup([makeRecord('old', { createdAt: 0, status: 'RUNNING' })], { old: [task('old', 'RUNNING')] });
    await store.update('old', { createdAt: clock.now() - 25 * 3600 * SECOND });
    await poller.resumeAll();
    await clock.advance(60 * SECOND);
    assert.equal(queries.length, 1);
    assert.equal(store.get('old')!.status, 'EXPIRED');
    poller.dispose();
  });

  it('case 9: a task older than 24 h is asked once more, and a video the service still has is kept', async () => {
    const { clock, store, queries, finished, poller } = setup([makeRecord('queued-long', { createdAt: 0 })], {
      'queued-long': [task('queued-long', 'SUCCEEDED', { videoUrl: 'https://example.com/late.mp4' })],
    });
    // Created 25 h ago; VS Code was closed while it queued for hours and then succeeded.
    await store.update('queued-long', { createdAt: clock.now() - 25 * 3600 * SECOND });
    await poller.resumeAll();
    await clock.advance(60 * SECOND);
    assert.equal(queries.length, 1);
    assert.equal(store.get('queued-long')!.status, 'SUCCEEDED');
    assert.equal(store.get('queued-long')!.videoUrl, 'https://example.com/late.mp4');
    assert.deepEqual(finished.map((r) => r.taskId), ['queued-long'], 'the video is handed on for download');
    poller.dispose();
  });

  it('case 9: tasks that reach 24 h while polled get a last query each (not a list call) before they expire', async () => {
    const clock = new ManualClock();
    const store = new TaskStore(new MemoryStorage());
    const queries: { id: string; at: number }[] = [];
    const created = clock.now();
    const poller = new TaskPoller({
      store,
      queryTask: scriptedQuery({ a: [task('a', 'RUNNING')], b: [new WanError({ kind: 'network', message: 'The connection was reset.', retryable: true })] }, queries, clock),
      listTasks: async () => [task('a', 'RUNNING'), task('b', 'RUNNING')],
      onFinished: () => undefined,
      clock,
      random: () => 0.5,
    });
    for (const id of ['a', 'b']) await store.add(makeRecord(id, { createdAt: created }));
    await poller.resumeAll();
    await clock.advance(25 * 3600 * SECOND);
    for (const id of ['a', 'b']) {
      assert.equal(store.get(id)!.status, 'EXPIRED', id);
      const last = queries.filter((q) => q.id === id);
      assert.equal(last.length, 1, `${id}: one last query`);
      assert.ok(last[0].at >= created + 24 * 3600 * SECOND, `${id}: asked at 24 h`);
    }
    assert.match(store.get('b')!.lastError ?? '', /reset/, 'why the last look found nothing');
    poller.dispose();
  });

  it('case 26: a task that ran 4 minutes while VS Code was closed overnight shows 4 minutes, finished at the service\'s end time', async () => {
    const clock = new ManualClock();
    const store = new TaskStore(new MemoryStorage());
    const created = clock.now();
    await store.add(makeRecord('night', { createdAt: created }));
    // The service's clock is a little behind the local one; the task ran 4 minutes right after its create.
    const submit = created - 300;
    const end = submit + 4 * 60 * SECOND;
    const queries: string[] = [];
    const poller = new TaskPoller({
      store,
      queryTask: async (record) => {
        queries.push(record.taskId);
        return task('night', 'SUCCEEDED', { submitTime: submit, scheduledTime: submit + 5 * SECOND, endTime: end, videoUrl: 'https://example.com/n.mp4' });
      },
      onFinished: () => undefined,
      clock,
      random: () => 0.5,
    });
    // The window closed after the create and opens again ten hours later.
    await clock.advance(10 * 3600 * SECOND);
    poller.resumeAll();
    await clock.advance(SECOND);
    assert.deepEqual(queries, ['night']);
    const record = store.get('night')!;
    assert.equal(record.finishedAt, end, 'finished when the service says it ended');
    assert.equal(elapsedOf(record, clock.now()), 4 * 60 * SECOND, 'ran from the service\'s submit to its end');
    assert.equal(elapsedOf({ ...record, submitTime: undefined }, clock.now()), 4 * 60 * SECOND - 300, 'without a submit time: from the local create');
    assert.equal(elapsedOf(makeRecord('running', { createdAt: created, status: 'RUNNING' }), created + 90 * SECOND), 90 * SECOND, 'still going: so far, by the local clock');
    poller.dispose();
  });

  it('case 26: an end time ahead of the local clock is not taken as the finish time', async () => {
    const scripts: Record<string, WanTask[]> = { ahead: [] };
    const { clock, store, poller } = setup([makeRecord('ahead', { createdAt: 0 })], scripts);
    scripts.ahead.push(task('ahead', 'SUCCEEDED', { endTime: clock.now() + 3600 * SECOND }));
    const seen = clock.now();
    poller.pollSoon('ahead');
    await clock.advance(SECOND);
    assert.equal(store.get('ahead')!.finishedAt, seen, 'the moment it was seen, never a time to come');
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
