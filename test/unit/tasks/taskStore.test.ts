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

  it('keeps a task that storage does not show (a write that failed, a read behind the writes) until a removal says so', async () => {
    const storage = new MemoryStorage();
    const store = new TaskStore(storage);
    await store.add(makeRecord('billed'));
    await storage.update('wan.task.billed', undefined); // the storage lost it, or answers from an older snapshot
    store.syncFromStorage();
    assert.equal(store.get('billed')?.taskId, 'billed', 'a task the service made is never dropped by a sync');
    await new TaskStore(storage).remove(['billed']);
    store.syncFromStorage();
    assert.equal(store.get('billed'), undefined, 'a removal in another window still wins');
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

  it('case 21: keeps a removed task removed when another window writes it afterwards', async () => {
    const storage = new MemoryStorage();
    const windowA = new TaskStore(storage);
    await windowA.add(makeRecord('a'));
    const windowB = new TaskStore(storage);
    await windowA.remove(['a']);
    await windowB.update('a', { status: 'SUCCEEDED' }); // B's poller, before B synced
    assert.equal(new TaskStore(storage).get('a'), undefined, 'a window opened later does not see it');
    windowA.syncFromStorage();
    assert.equal(windowA.get('a'), undefined, 'it does not come back in the window that removed it');
    windowB.syncFromStorage();
    assert.equal(windowB.get('a'), undefined, 'and leaves the window that wrote it');
  });

  it('cleans up after a removal: the record another window wrote back, and the tombstone after 30 days', async () => {
    const storage = new MemoryStorage();
    const removedAt = Date.now();
    await new TaskStore(storage, () => removedAt).remove(['a']);
    await storage.update('wan.task.a', { stamp: 'x', record: makeRecord('a') }); // a window that never looked
    await new TaskStore(storage, () => removedAt + 1000).add(makeRecord('b'));
    assert.deepEqual([...storage.keys()].sort(), ['wan.removed.a', 'wan.task.b']);
    await new TaskStore(storage, () => removedAt + 31 * 24 * 3600_000).add(makeRecord('c'));
    assert.deepEqual([...storage.keys()].sort(), ['wan.task.b', 'wan.task.c']);
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
