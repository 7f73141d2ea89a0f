import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_WAIT_SECONDS, waitForTasks, waitSecondsOf } from '../../../src/agent/taskWait';
import { TaskStore } from '../../../src/tasks/taskStore';
import { makeRecord, MemoryStorage } from '../tasks/helpers';

describe('waitForTasks', () => {
  test('ends when every task is finished and its video saved, not when it only succeeded', async () => {
    const store = new TaskStore(new MemoryStorage());
    await store.add(makeRecord('a', { status: 'RUNNING' }));
    await store.add(makeRecord('b', { status: 'FAILED' }));
    const waiting = waitForTasks(store, ['a', 'b'], 10_000, new AbortController().signal);
    let ended: string | undefined;
    void waiting.then((end) => (ended = end));
    await store.update('a', { status: 'SUCCEEDED', download: { state: 'downloading' } });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(ended, undefined, 'a video still downloading is not the end');
    await store.update('a', { download: { state: 'done', path: '/v.mp4', bytes: 1, at: 1 } });
    assert.equal(await waiting, 'done');
  });

  test('ends at the time asked, or at once when cancelled', async () => {
    const store = new TaskStore(new MemoryStorage());
    await store.add(makeRecord('a', { status: 'RUNNING' }));
    assert.equal(await waitForTasks(store, ['a'], 20, new AbortController().signal), 'timeout');
    const stop = new AbortController();
    const started = Date.now();
    setTimeout(() => stop.abort(), 20);
    assert.equal(await waitForTasks(store, ['a'], 10_000, stop.signal), 'cancelled');
    assert.ok(Date.now() - started < 1000);
  });

  test('waits at most two minutes, and not at all unless asked', () => {
    assert.equal(waitSecondsOf(undefined), 0);
    assert.equal(waitSecondsOf(-5), 0);
    assert.equal(waitSecondsOf('30'), 0);
    assert.equal(waitSecondsOf(30), 30);
    assert.equal(waitSecondsOf(600), MAX_WAIT_SECONDS);
  });
});
