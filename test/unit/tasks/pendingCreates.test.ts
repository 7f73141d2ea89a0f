import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createWithRetry } from '../../../src/tasks/createTask';
import { findLeftTasks, PendingCreates } from '../../../src/tasks/pendingCreates';
import { TaskStore } from '../../../src/tasks/taskStore';
import { WanClient } from '../../../src/wan/client';
import { closeDispatcher } from '../../../src/wan/http';
import type { GenerationParams } from '../../../src/wan/params';
import { WanTestServer } from '../../server/wanServer';
import { validParams } from '../assertions';
import { makeRecord, MemoryStorage } from './helpers';

const KEY = 'sk-pending-creates';

describe('case 2: closing the window while a create is on its way', () => {
  let server: WanTestServer;
  let params: GenerationParams;
  const client = () => new WanClient({ baseUrl: server.baseUrl, apiKey: KEY });

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
    params = validParams({ prompt: 'A lighthouse in a storm', seed: 1 });
  });
  after(async () => {
    await server.close();
    await closeDispatcher();
  });

  const note = () => ({ params, source: { kind: 'selection' as const, label: 'A lighthouse in a storm' }, endpoint: 'custom' as const, baseUrl: server.baseUrl });
  const pendingKeys = (storage: MemoryStorage) => storage.keys().filter((key) => key.startsWith('wan.pendingCreate.'));

  /** A create as Generate makes it: the note goes right before the request, the record is stored when it answers. */
  function submit(pending: PendingCreates, store: TaskStore): Promise<void> {
    return pending.run(note(), async (beforeSend) => {
      const task = await createWithRetry(async () => {
        await beforeSend();
        return client().createTask(params);
      });
      await store.add(makeRecord(task.taskId));
    });
  }

  it('lets a create on its way finish and stores its task before the connections close', async () => {
    const storage = new MemoryStorage();
    const store = new TaskStore(storage);
    const pending = new PendingCreates(storage);
    server.tasks.clear();
    server.failNext('create', { answerAfterMs: 300 });
    const creating = submit(pending, store);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(pendingKeys(storage).length, 1, 'a note while the answer is awaited');
    // What deactivation does: wait (VS Code gives a few seconds), then close the connections.
    assert.equal(await pending.settle(3000), true);
    await closeDispatcher();
    await creating;
    const [task] = server.tasks.keys();
    assert.ok(store.get(task), 'the billed task is stored');
    assert.deepEqual(pendingKeys(storage), [], 'and its note removed');
  });

  it('an answer that cannot arrive in time leaves a note with the prompt; the next start finds the task with the list call', async () => {
    const storage = new MemoryStorage();
    const store = new TaskStore(storage);
    const pending = new PendingCreates(storage, { owner: { host: 'this-machine', pid: 101 } });
    server.tasks.clear();
    server.failNext('create', { answerAfterMs: 2000 });
    const creating = submit(pending, store);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await pending.settle(200), false, 'the answer did not come in time');
    await closeDispatcher();
    await assert.rejects(creating);
    assert.equal(store.all().length, 0);

    // The next start, in another extension host; the one that sent the create is gone.
    const next = new PendingCreates(storage, { owner: { host: 'this-machine', pid: 202 }, isAlive: (pid) => pid === 202 });
    const [left] = next.left();
    assert.ok(left, 'the note is still there');
    assert.equal(left.note.params.prompt, 'A lighthouse in a storm');
    const found = await findLeftTasks(client(), left.note, (id) => store.get(id) !== undefined);
    assert.deepEqual(found.map((task) => task.taskId), [...server.tasks.keys()], 'the billed task, found by the list call');
    await next.forget([left.key]);
    assert.deepEqual(next.left(), []);
  });

  it('a note of a window that is still open is not reported: its create may still be on its way', async () => {
    const storage = new MemoryStorage();
    const open = new PendingCreates(storage, { owner: { host: 'this-machine', pid: 101 } });
    server.failNext('create', { answerAfterMs: 300 });
    const creating = submit(open, new TaskStore(storage));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const other = new PendingCreates(storage, { owner: { host: 'this-machine', pid: 202 }, isAlive: () => true });
    assert.deepEqual(other.left(), []);
    const elsewhere = new PendingCreates(storage, { owner: { host: 'another-machine', pid: 101 } });
    assert.deepEqual(elsewhere.left(), [], 'a note from another machine is reported only once no create could still be on its way');
    await creating;
  });

  it('a create waiting for its turn writes no note', async () => {
    const storage = new MemoryStorage();
    const pending = new PendingCreates(storage);
    await assert.rejects(pending.run(note(), async () => {
      throw new Error('not submitted: cancelled before its turn');
    }));
    assert.equal(storage.writes, 0);
  });
});
