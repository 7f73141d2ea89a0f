import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateQueue, NotSubmittedError, submitBatch } from '../../../src/tasks/createQueue';
import { keepCreated } from '../../../src/tasks/createTask';
import { TaskStore } from '../../../src/tasks/taskStore';
import { makeRecord, ManualClock, MemoryStorage, settle } from './helpers';

/** The most request times that fall in any window of `windowMs` (a request at t counts in [t, t + windowMs)). */
function mostInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j] < sorted[i] + windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

function delay(clock: ManualClock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}

describe('create queue', () => {
  it('sends 5 at once, queues the rest, and never more than 5 in any second', async () => {
    const clock = new ManualClock();
    const queue = new CreateQueue({ clock });
    const sent: { id: number; at: number }[] = [];
    const done = Promise.all(Array.from({ length: 20 }, (_, id) => queue.run(async () => {
      sent.push({ id, at: clock.now() });
      return id;
    })));
    await settle();
    assert.equal(sent.length, 5, 'the first five go at once');
    assert.equal(queue.waitingCount, 15);
    await clock.advance(10_000);
    assert.deepEqual(await done, Array.from({ length: 20 }, (_, i) => i));
    assert.deepEqual(sent.map((s) => s.id), Array.from({ length: 20 }, (_, i) => i), 'in the order asked');
    assert.equal(mostInAnyWindow(sent.map((s) => s.at), 1000), 5);
  });

  it('holds a slot until a second after the answer, so a slow network cannot crowd the service', async () => {
    const clock = new ManualClock();
    const queue = new CreateQueue({ clock });
    const arrivals: number[] = [];
    const answers: number[] = [];
    // Each request reaches the service after a delay that varies from 0 to 400 ms, and is answered 300 ms later.
    const done = Promise.all(Array.from({ length: 12 }, (_, i) => queue.run(async () => {
      await delay(clock, (i * 137) % 400);
      arrivals.push(clock.now());
      await delay(clock, 300);
      answers.push(clock.now());
    })));
    await clock.advance(30_000);
    await done;
    assert.equal(arrivals.length, 12);
    assert.ok(mostInAnyWindow(arrivals, 1000) <= 5, `arrivals ${arrivals}`);
  });

  it('a cancelled wait is never sent; what was sent completes', async () => {
    const clock = new ManualClock();
    const queue = new CreateQueue({ clock });
    const cancel = new AbortController();
    let sent = 0;
    const results = Array.from({ length: 12 }, () => queue.run(async () => {
      sent++;
      await delay(clock, 200);
      return 'created';
    }, cancel.signal).catch((error: unknown) => error));
    await clock.advance(1300); // five answered at 200 ms, their slots free at 1200 ms: five more sent
    assert.equal(sent, 10);
    cancel.abort();
    await clock.advance(10_000);
    const outcomes = await Promise.all(results);
    assert.equal(sent, 10, 'nothing more was sent after the cancel');
    assert.deepEqual(outcomes.slice(0, 10), Array(10).fill('created'));
    for (const outcome of outcomes.slice(10)) assert.ok(outcome instanceof NotSubmittedError);
    await assert.rejects(queue.run(async () => 'late', cancel.signal), NotSubmittedError);
  });

  it('dispose sends nothing more', async () => {
    const clock = new ManualClock();
    const queue = new CreateQueue({ clock, limit: 1 });
    const first = queue.run(async () => 'first');
    const second = queue.run(async () => 'second');
    queue.dispose();
    assert.equal(await first, 'first');
    await assert.rejects(second, NotSubmittedError);
    assert.equal(clock.pending, 0, 'no timer left behind');
  });
});

describe('batch submission', () => {
  it('persists each task the moment its create answers, in order, and reports progress', async () => {
    const clock = new ManualClock();
    const queue = new CreateQueue({ clock });
    const persisted: string[] = [];
    const progress: string[] = [];
    const items = Array.from({ length: 8 }, (_, i) => `prompt ${i}`);
    const batch = submitBatch({
      items,
      create: (item, signal) => queue.run(async () => {
        await delay(clock, 100);
        return `task for ${item}`;
      }, signal),
      onCreated: async (_item, result) => {
        persisted.push(result);
      },
      onProgress: (created, total) => progress.push(`${created}/${total}`),
    });
    await clock.advance(150);
    assert.equal(persisted.length, 5, 'the first five are persisted while the rest wait');
    await clock.advance(5000);
    const outcome = await batch;
    assert.deepEqual(outcome.created.map((c) => c.result), items.map((item) => `task for ${item}`));
    assert.deepEqual(outcome.notSubmitted, []);
    assert.deepEqual(outcome.failures, []);
    assert.equal(outcome.cancelled, false);
    assert.deepEqual(progress, ['1/8', '2/8', '3/8', '4/8', '5/8', '6/8', '7/8', '8/8']);
  });

  it('cancelled half-way: what was sent is kept, the rest is never sent', async () => {
    const clock = new ManualClock();
    const queue = new CreateQueue({ clock });
    const cancel = new AbortController();
    const sent: number[] = [];
    const batch = submitBatch({
      items: Array.from({ length: 20 }, (_, i) => i),
      create: (item, signal) => queue.run(async () => {
        sent.push(item);
        return item;
      }, signal),
      onCreated: async () => undefined,
      signal: cancel.signal,
    });
    await clock.advance(1500);
    cancel.abort();
    await clock.advance(10_000);
    const outcome = await batch;
    assert.equal(outcome.cancelled, true);
    assert.deepEqual(outcome.created.map((c) => c.item), sent);
    assert.equal(sent.length, 10);
    assert.deepEqual(outcome.notSubmitted, Array.from({ length: 10 }, (_, i) => i + 10));
  });

  it('stops at the first failed create: the rest is not sent', async () => {
    const clock = new ManualClock();
    const queue = new CreateQueue({ clock, limit: 1 });
    const sent: number[] = [];
    const outcomePromise = submitBatch({
      items: [0, 1, 2, 3, 4],
      create: (item, signal) => queue.run(async () => {
        sent.push(item);
        if (item === 2) throw new Error('Arrearage: top up the account');
        return item;
      }, signal),
      onCreated: async () => undefined,
    });
    await clock.advance(10_000);
    const outcome = await outcomePromise;
    assert.deepEqual(sent, [0, 1, 2]);
    assert.deepEqual(outcome.created.map((c) => c.item), [0, 1]);
    assert.deepEqual(outcome.failures.map((f) => [f.item, (f.error as Error).message]), [[2, 'Arrearage: top up the account']]);
    assert.deepEqual(outcome.notSubmitted, [3, 4]);
    assert.equal(outcome.cancelled, false);
  });
});

describe('case 3: a failed storage write after a successful create', () => {
  /** globalState that refuses the first `failures` writes, as a full or locked disk does. */
  class FailingStorage extends MemoryStorage {
    constructor(private failures: number) {
      super();
    }

    override update(key: string, value: unknown): Promise<void> {
      if (this.failures-- > 0) return Promise.reject(new Error('ENOSPC: no space left on device'));
      return super.update(key, value);
    }
  }

  it('a batch counts the task as submitted, polls it and logs its id, even when it could not be saved', async () => {
    const store = new TaskStore(new FailingStorage(Infinity));
    const log: string[] = [];
    const followed: string[] = [];
    const outcome = await submitBatch({
      items: ['t-1', 't-2'],
      create: async (id) => id,
      onCreated: async (id) => {
        const unsaved = await keepCreated({
          log: () => log.push(`task ${id} created`),
          save: () => store.add(makeRecord(id)),
          follow: () => followed.push(id),
        }, { sleep: async () => undefined });
        assert.match(String(unsaved), /ENOSPC/, 'the caller learns that it could not be saved, to say so');
      },
    });
    assert.deepEqual(outcome.failures, []);
    assert.deepEqual(outcome.created.map((c) => c.item), ['t-1', 't-2'], 'both tasks exist and are billed');
    assert.deepEqual(followed, ['t-1', 't-2']);
    assert.deepEqual(log, ['task t-1 created', 'task t-2 created']);
    assert.ok(store.get('t-1'), 'the record is kept in memory');
  });

  it('logs the id before anything can fail, follows the task at once, and tries the write again until it lands', async () => {
    const storage = new FailingStorage(2);
    const store = new TaskStore(storage);
    const steps: string[] = [];
    const waits: number[] = [];
    const unsaved = await keepCreated({
      log: () => steps.push('log'),
      save: () => {
        steps.push('save');
        return store.add(makeRecord('t-3'));
      },
      follow: () => steps.push('follow'),
    }, { sleep: async (ms) => { waits.push(ms); } });
    assert.equal(unsaved, undefined);
    assert.deepEqual(steps, ['log', 'save', 'follow', 'save', 'save']);
    assert.deepEqual(waits, [500, 1000]);
    assert.equal(storage.get<{ record: { taskId: string } }>('wan.task.t-3')?.record.taskId, 't-3', 'saved at the third try');
  });
});
