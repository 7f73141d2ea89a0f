import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskStore } from '../../../src/tasks/taskStore';
import { makeRecord, MemoryStorage } from './helpers';

describe('task store', () => {
  it('keeps tasks across a restart, newest first', async () => {
    const storage = new MemoryStorage();
    const store = new TaskStore(storage);
    await store.add(makeRecord('old', { createdAt: 1 }));
    await store.add(makeRecord('new', { createdAt: 2 }));
    await store.update('old', { status: 'RUNNING' });
    const reopened = new TaskStore(storage);
    assert.deepEqual(reopened.all().map((r) => r.taskId), ['new', 'old']);
    assert.equal(reopened.get('old')!.status, 'RUNNING');
  });

  it('lets two windows change different tasks without losing either change', async () => {
    const storage = new MemoryStorage();
    const windowA = new TaskStore(storage);
    await windowA.add(makeRecord('a'));
    await windowA.add(makeRecord('b'));
    const windowB = new TaskStore(storage);
    await windowA.update('a', { status: 'RUNNING' });
    await windowB.update('b', { status: 'SUCCEEDED' }); // B never saw A's change to a
    const later = new TaskStore(storage);
    assert.equal(later.get('a')!.status, 'RUNNING');
    assert.equal(later.get('b')!.status, 'SUCCEEDED');
  });

  it('takes in another window\'s changes, additions and removals when it syncs', async () => {
    const storage = new MemoryStorage();
    const windowA = new TaskStore(storage);
    const windowB = new TaskStore(storage);
    const seen: (string | undefined)[] = [];
    windowB.onDidChange((record) => seen.push(record?.taskId));

    await windowA.add(makeRecord('a'));
    assert.deepEqual(windowB.syncFromStorage(), ['a']);
    assert.deepEqual(seen, ['a']);
    assert.deepEqual(windowB.syncFromStorage(), [], 'nothing new, nothing fired');
    assert.equal(seen.length, 1);

    await windowA.update('a', { status: 'SUCCEEDED' });
    windowB.syncFromStorage();
    assert.equal(windowB.get('a')!.status, 'SUCCEEDED');

    await windowA.remove(['a']);
    assert.deepEqual(windowB.syncFromStorage(), ['a']);
    assert.equal(windowB.get('a'), undefined);
  });

  it('ignores foreign keys and broken entries in storage', async () => {
    const storage = new MemoryStorage();
    await storage.update('something.else', { record: { taskId: 'x' } });
    await storage.update('wan.task.broken', { nonsense: true });
    const store = new TaskStore(storage);
    assert.deepEqual(store.all(), []);
  });
});

describe('task store sync with writes in flight', () => {
  it('never brings back an older stored version over a change not yet written', async () => {
    const storage = new MemoryStorage();
    const store = new TaskStore(storage);
    await store.add(makeRecord('a'));
    const writing = store.update('a', { status: 'RUNNING' });
    store.syncFromStorage(); // runs before the write reaches storage
    assert.equal(store.get('a')!.status, 'RUNNING');
    await writing;
    store.syncFromStorage();
    assert.equal(store.get('a')!.status, 'RUNNING');
  });
});
