import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WanClient } from '../../../src/wan/client';
import { downloadVideo } from '../../../src/wan/download';
import { closeDispatcher } from '../../../src/wan/http';
import { TaskLeases } from '../../../src/tasks/taskLeases';
import { TaskPoller } from '../../../src/tasks/taskPoller';
import { TaskStore } from '../../../src/tasks/taskStore';
import { VideoKeeper } from '../../../src/tasks/videoKeeper';
import { WanTestServer } from '../../server/wanServer';
import { validParams } from '../assertions';
import { makeRecord, MemoryStorage } from './helpers';
import { toCreateBody } from '../../../src/wan/params';

const KEY = 'sk-two-windows';

/** One VS Code window: its own store view, poller, keeper and leases, over storage and folders shared with the others. */
function openWindow(name: string, server: WanTestServer, storage: MemoryStorage, leaseDir: string, folder: string, queriesBy: Map<string, string[]>, leaseMs = 60_000) {
  const client = new WanClient({ baseUrl: server.baseUrl, apiKey: KEY });
  const store = new TaskStore(storage);
  const leases = new TaskLeases(leaseDir);
  /** False once the window's extension host is gone: it gives back nothing, like a killed one. */
  let alive = true;
  const keeper = new VideoKeeper({
    store,
    download: (url, target, signal) => downloadVideo(url, target, { signal }),
    requery: (record, signal) => client.getTask(record.taskId, signal),
    folderFor: () => folder,
    requestOf: toCreateBody,
    onSaved: () => undefined,
    onFailed: () => undefined,
    claim: (taskId) => leases.claim(taskId, 'download', leaseMs),
    release: (taskId) => (alive ? leases.release(taskId, 'download') : Promise.resolve()),
    claimIntervalMs: leaseMs / 4,
  });
  const poller = new TaskPoller({
    store,
    claim: (taskId) => leases.claim(taskId, 'poll', 60_000),
    queryTask: (record, signal) => {
      queriesBy.set(record.taskId, [...(queriesBy.get(record.taskId) ?? []), name]);
      return client.getTask(record.taskId, signal);
    },
    onFinished: (record) => void keeper.keep(record.taskId),
    timeScale: 0.01,
  });
  const sync = setInterval(() => keeper.keepChanged(store.syncFromStorage()), 20);
  return {
    store,
    poller,
    keeper,
    close: () => {
      clearInterval(sync);
      poller.dispose();
      keeper.dispose();
    },
    crash: () => {
      alive = false;
      clearInterval(sync);
      poller.dispose();
      keeper.dispose();
    },
  };
}

describe('two windows open at once', () => {
  let server: WanTestServer;
  let root: string;
  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
    server.defaultScript = { pendingMs: 100, runningMs: 300 };
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'wan-windows-'));
  });
  after(async () => {
    await server.close();
    await closeDispatcher();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('poll each task from one window and save each video exactly once', async () => {
    const storage = new MemoryStorage();
    const folder = path.join(root, 'videos');
    const queriesBy = new Map<string, string[]>();
    const client = new WanClient({ baseUrl: server.baseUrl, apiKey: KEY });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const params = validParams({ prompt: `Scene ${i}`, seed: i });
      const task = await client.createTask(params);
      await new TaskStore(storage).add(makeRecord(task.taskId, { baseUrl: server.baseUrl, params, source: { kind: 'selection', label: `scene ${i}` } }));
      ids.push(task.taskId);
    }
    const windows = ['A', 'B'].map((name) => openWindow(name, server, storage, path.join(root, 'leases'), folder, queriesBy));
    await Promise.all(windows.map((w) => w.poller.resumeAll()));

    const deadline = Date.now() + 15_000;
    const check = () => new TaskStore(storage).all().filter((r) => r.download.state === 'done').length;
    while (check() < ids.length) {
      assert.ok(Date.now() < deadline, `only ${check()} of ${ids.length} videos saved`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const w of windows) w.close();

    const files = (await fs.readdir(folder)).filter((f) => f.endsWith('.mp4'));
    assert.equal(files.length, ids.length, `one video per task, no duplicates: ${files}`);
    assert.equal((await fs.readdir(folder)).filter((f) => f.endsWith('.part')).length, 0);
    for (const id of ids) {
      const pollers = new Set(queriesBy.get(id));
      assert.equal(pollers.size, 1, `task ${id} was polled by ${[...pollers]}`);
    }
    const downloads = server.requestsTo('download').filter((r) => r.headers.range === undefined);
    assert.equal(downloads.length, ids.length, 'each video fetched once');
  });

  /** A succeeded task whose download window A starts and then closes mid-body without giving its lease back. */
  /** Short enough to take over within the test, long enough that a renewal every quarter of it never misses on a loaded machine. */
  const LEASE_MS = 1500;

  async function downloadCutOffByClosedWindow(storage: MemoryStorage, folder: string, leaseDir: string) {
    server.defaultScript = { pendingMs: 0, runningMs: 0 };
    const client = new WanClient({ baseUrl: server.baseUrl, apiKey: KEY });
    const params = validParams({ prompt: 'A closing window', seed: 3 });
    const task = await client.createTask(params);
    await new TaskStore(storage).add(makeRecord(task.taskId, {
      baseUrl: server.baseUrl, params, status: 'SUCCEEDED', videoUrl: server.videoUrlFor(task.taskId), source: { kind: 'selection', label: 'closing' },
    }));
    server.download = { stallAfterBytes: 10_000, stallTimes: 1 };
    const windowA = openWindow('A', server, storage, leaseDir, folder, new Map(), LEASE_MS);
    void windowA.keeper.keep(task.taskId);
    const downloading = () => new TaskStore(storage).get(task.taskId)!.download.state === 'downloading' && server.requestsTo('download').length > 0;
    while (!downloading()) await new Promise((resolve) => setTimeout(resolve, 10));
    return { taskId: task.taskId, closeA: () => windowA.crash() };
  }

  async function assertSavedOnce(storage: MemoryStorage, folder: string, taskId: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (new TaskStore(storage).get(taskId)!.download.state !== 'done') {
      assert.ok(Date.now() < deadline, `still ${new TaskStore(storage).get(taskId)!.download.state} after A closed`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const files = await fs.readdir(folder);
    assert.equal(files.filter((f) => f.endsWith('.mp4')).length, 1, `one video: ${files}`);
    assert.deepEqual(files.filter((f) => f.endsWith('.part')), []);
  }

  it('case 19: a window open all along takes over a download whose window closed', async () => {
    const storage = new MemoryStorage();
    const folder = path.join(root, 'taken-over-open');
    const leaseDir = path.join(root, 'leases-open');
    const windowB = openWindow('B', server, storage, leaseDir, folder, new Map(), LEASE_MS);
    try {
      const { taskId, closeA } = await downloadCutOffByClosedWindow(storage, folder, leaseDir);
      const started = server.requestsTo('download').length;
      await new Promise((resolve) => setTimeout(resolve, 300)); // B sees "downloading" and leaves it to A
      assert.equal(server.requestsTo('download').length, started, 'B does not download what A still holds');
      closeA();
      await assertSavedOnce(storage, folder, taskId);
    } finally {
      windowB.close();
    }
  });

  it('case 19: a window opened later takes over a download whose window closed', async () => {
    const storage = new MemoryStorage();
    const folder = path.join(root, 'taken-over-later');
    const leaseDir = path.join(root, 'leases-later');
    const { taskId, closeA } = await downloadCutOffByClosedWindow(storage, folder, leaseDir);
    const windowB = openWindow('B', server, storage, leaseDir, folder, new Map(), LEASE_MS);
    try {
      windowB.keeper.keepAllPending(); // as at activation, while A still holds the download
      await new Promise((resolve) => setTimeout(resolve, 100));
      closeA();
      await assertSavedOnce(storage, folder, taskId);
    } finally {
      windowB.close();
    }
  });
});
