import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { WanClient } from '../../../src/wan/client';
import { downloadVideo } from '../../../src/wan/download';
import { closeDispatcher } from '../../../src/wan/http';
import { TaskLeases } from '../../../src/tasks/taskLeases';
import { TaskPoller } from '../../../src/tasks/taskPoller';
import type { TaskRecord } from '../../../src/tasks/taskRecord';
import { TaskStore } from '../../../src/tasks/taskStore';
import { sidecarPath } from '../../../src/tasks/sidecar';
import { sidecarContent, slug, VideoKeeper } from '../../../src/tasks/videoKeeper';
import { WanTestServer } from '../../server/wanServer';
import { validParams } from '../assertions';
import { makeRecord, MemoryStorage } from './helpers';
import { toCreateBody } from '../../../src/wan/params';

const KEY = 'sk-keeper-test';

/** Create → poll → download → sidecar, wired as the extension wires them, over real HTTP. */
function pipeline(server: WanTestServer, folder: string, storage = new MemoryStorage(), beforeDownload?: (target: string) => Promise<void>, leases?: TaskLeases) {
  const client = new WanClient({ baseUrl: server.baseUrl, apiKey: KEY });
  const store = new TaskStore(storage);
  const saved: TaskRecord[] = [];
  const failed: string[] = [];
  const keeper = new VideoKeeper({
    store,
    download: async (url, target, signal) => {
      await beforeDownload?.(target);
      return downloadVideo(url, target, { signal, retryDelayMs: 10 });
    },
    requery: (record, signal) => client.getTask(record.taskId, signal),
    folderFor: () => folder,
    requestOf: toCreateBody,
    onSaved: (record) => saved.push(record),
    onFailed: (_record, message) => failed.push(message),
    claim: leases && ((taskId) => leases.claim(taskId, 'download', 60_000)),
    release: leases && ((taskId) => leases.release(taskId, 'download')),
  });
  const poller = new TaskPoller({
    store,
    queryTask: (record, signal) => client.getTask(record.taskId, signal),
    onFinished: (record) => {
      if (record.status === 'SUCCEEDED') void keeper.keep(record.taskId);
    },
    timeScale: 0.02,
  });
  const submit = async (prompt: string, label = prompt): Promise<TaskRecord> => {
    const params = validParams({ prompt, duration: 5, seed: 99 });
    const task = await client.createTask(params);
    const record = makeRecord(task.taskId, { baseUrl: server.baseUrl, params, source: { kind: 'selection', label } });
    await store.add(record);
    poller.pollSoon(task.taskId);
    return record;
  };
  const dispose = () => {
    poller.dispose();
    keeper.dispose();
  };
  return { store, keeper, poller, submit, saved, failed, dispose };
}

async function until(what: string, probe: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('video keeper', () => {
  let server: WanTestServer;
  let folder: string;

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
  });
  after(async () => {
    await server.close();
    await closeDispatcher();
    for (const f of folders) await fs.rm(f, { recursive: true, force: true });
  });
  const folders: string[] = [];
  beforeEach(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'wan-keeper-'));
    folders.push(folder);
    server.download = {};
    server.defaultScript = { pendingMs: 50, runningMs: 100 };
  });

  it('the sidecar keeps what the service billed: the duration as a float, fps, the input and output video durations', () => {
    const usage = { duration: 10.04, fps: 30, inputVideoDuration: 4.5, outputVideoDuration: 5.54 };
    const record = makeRecord('t-usage', { status: 'SUCCEEDED', usage, params: validParams({ prompt: 'A fox' }) });
    const sidecar = JSON.parse(JSON.stringify(sidecarContent(record, '/videos/a-fox.mp4', 0, toCreateBody))) as { usage: unknown };
    assert.deepEqual(sidecar.usage, usage);
  });

  it('the sidecar records each media item as written, with its hash, size and how it went, and never its bytes', () => {
    const media = [
      { type: 'first_frame' as const, source: './girl.png', sha256: 'a'.repeat(64), bytes: 1234, sent: 'inline' as const },
      { type: 'driving_audio' as const, source: 'https://example.com/song.mp3', sent: 'url' as const },
    ];
    const params = { ...validParams({ prompt: 'A girl waves' }), model: 'wan2.7-i2v', media: [{ type: 'first_frame' as const, source: './girl.png' }] };
    const record = makeRecord('t-media', { status: 'SUCCEEDED', params, media });
    const sidecar = JSON.parse(JSON.stringify(sidecarContent(record, '/videos/a-girl.mp4', 0, toCreateBody))) as { media: unknown; request: { input: object } };
    assert.deepEqual(sidecar.media, media);
    assert.ok(!JSON.stringify(sidecar.request).includes('base64'), 'the request in the sidecar holds no data URI');
  });

  it('saves a finished video with its sidecar, byte for byte, once', async () => {
    const p = pipeline(server, folder);
    const record = await p.submit('A red fox in the snow');
    await until('the save', () => p.saved.length === 1);
    const done = p.store.get(record.taskId)!;
    assert.equal(done.download.state, 'done');
    const file = done.download.state === 'done' ? done.download.path : '';
    assert.ok((await fs.readFile(file)).equals(server.video));
    assert.match(path.basename(file), /^a-red-fox-in-the-snow-\d{8}-\d{6}-seed99\.mp4$/);
    const sidecar = JSON.parse(await fs.readFile(sidecarPath(file), 'utf8'));
    assert.equal(sidecar.taskId, record.taskId);
    assert.equal(sidecar.request.model, 'wan2.7-t2v');
    assert.equal(sidecar.request.parameters.seed, 99);
    assert.equal(sidecar.response.output.task_status, 'SUCCEEDED');
    assert.equal(sidecar.endpointHost, new URL(server.baseUrl).host);
    assert.ok(!JSON.stringify(sidecar).includes(KEY), 'the key is never in the sidecar');
    await p.keeper.keep(record.taskId); // asking again does nothing
    assert.deepEqual((await fs.readdir(folder)).sort(), [path.basename(file), path.basename(sidecarPath(file))].sort());
    p.dispose();
  });

  it('never overwrites an existing video, even when two finish at the same moment', async () => {
    const p = pipeline(server, folder);
    p.poller.dispose(); // this test finishes the tasks itself, both at once
    server.defaultScript = { pendingMs: 0, runningMs: 0 };
    const records = [await p.submit('Same words', 'same'), await p.submit('Same words', 'same')];
    for (const r of records) await p.store.update(r.taskId, { status: 'SUCCEEDED', videoUrl: server.videoUrlFor(r.taskId) });
    await Promise.all(records.map((r) => p.keeper.keep(r.taskId)));
    assert.deepEqual(p.failed, []);
    const paths = records.map((r) => {
      const d = p.store.get(r.taskId)!.download;
      return d.state === 'done' ? d.path : '';
    });
    assert.notEqual(paths[0], paths[1]);
    for (const file of paths) assert.ok((await fs.readFile(file)).equals(server.video));
    // A third save of the same name, now that both files exist, picks yet another name.
    const third = await p.submit('Same words', 'same');
    await p.store.update(third.taskId, { status: 'SUCCEEDED', videoUrl: server.videoUrlFor(third.taskId) });
    await p.keeper.keep(third.taskId);
    assert.equal((await fs.readdir(folder)).filter((f) => f.endsWith('.mp4')).length, 3);
    p.dispose();
  });

  it('asks the service for a fresh link once when the old one has expired', async () => {
    const p = pipeline(server, folder);
    server.download = { expired: true };
    const record = await p.submit('An expiring link');
    await until('a refused download', () => server.requestsTo('download').length >= 1);
    server.download = {};
    await until('the save', () => p.saved.length === 1 || p.failed.length === 1);
    assert.deepEqual(p.failed, []);
    const queries = server.requestsTo('query').filter((r) => r.path.endsWith(record.taskId));
    assert.ok(queries.length >= 2, 'the task was queried again for a new link');
    p.dispose();
  });

  it('reports a download it cannot finish, leaves no partial file, and can retry later', async () => {
    const p = pipeline(server, folder);
    server.download = { expired: true };
    const record = await p.submit('Always refused');
    await until('the failure', () => p.failed.length === 1);
    assert.equal(p.store.get(record.taskId)!.download.state, 'failed');
    assert.deepEqual(await fs.readdir(folder), [], 'nothing half-written is left');
    server.download = {};
    await p.keeper.keep(record.taskId);
    assert.equal(p.store.get(record.taskId)!.download.state, 'done');
    p.dispose();
  });
});

describe('video keeper when the disk or the host fails', () => {
  let server: WanTestServer;
  let folder: string;
  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
    server.defaultScript = { pendingMs: 0, runningMs: 0 };
  });
  after(async () => {
    await server.close();
    await closeDispatcher();
  });
  beforeEach(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'wan-keeper-faults-'));
    server.download = {};
  });

  /** A succeeded task in `store`, as the poller leaves it. */
  async function succeededTask(p: ReturnType<typeof pipeline>, label: string): Promise<TaskRecord> {
    p.poller.dispose();
    const record = await p.submit(label);
    await p.store.update(record.taskId, { status: 'SUCCEEDED', videoUrl: server.videoUrlFor(record.taskId), videoUrlReceivedAt: Date.now() });
    return p.store.get(record.taskId)!;
  }

  it('case 16: a full disk stops the download at once, keeps the .part and the link, and the retry resumes it into the same name', async () => {
    // The .part file the downloader writes is made to point at /dev/full, which answers ENOSPC like a full disk.
    let diskFull = true;
    const p = pipeline(server, folder, new MemoryStorage(), async (target) => {
      if (diskFull) await fs.symlink('/dev/full', `${target}.part`);
    });
    const record = await succeededTask(p, 'disk full');
    const before = server.requestsTo('download').length;
    await p.keeper.keep(record.taskId);
    const failedRecord = p.store.get(record.taskId)!;
    assert.equal(failedRecord.download.state, 'failed');
    assert.match(p.failed[0], /ENOSPC/);
    assert.match(p.failed[0], /free some space/i);
    assert.equal(server.requestsTo('download').length, before + 1, 'not retried as a network error');
    assert.deepEqual((await fs.readdir(folder)).filter((f) => f.endsWith('.mp4')), [], 'no file passed off as a video');
    assert.equal(failedRecord.videoUrl, record.videoUrl, 'the link is kept for a retry');
    assert.deepEqual(p.failed.length, 1);
    const parts = (await fs.readdir(folder)).filter((f) => f.endsWith('.part'));
    assert.equal(parts.length, 1, 'the .part is kept for a resume');

    // The user frees space; what was written before the disk filled up is still there.
    const part = path.join(folder, parts[0]);
    await fs.rm(part);
    await fs.writeFile(part, server.video.subarray(0, 10_000));
    diskFull = false;
    await p.keeper.keep(record.taskId);
    const saved = p.store.get(record.taskId)!.download;
    assert.equal(saved.state, 'done');
    assert.equal(saved.state === 'done' ? saved.path : '', part.replace(/\.part$/, ''), 'the same name');
    assert.ok((await fs.readFile(saved.state === 'done' ? saved.path : '')).equals(server.video));
    assert.equal(server.requestsTo('download').at(-1)!.headers.range, 'bytes=10000-');
    assert.deepEqual((await fs.readdir(folder)).filter((f) => f.endsWith('.part') || f.endsWith('.mp4')), [path.basename(saved.state === 'done' ? saved.path : '')]);
    p.dispose();
  });

  it('reports an output folder it cannot create or write, and keeps the task for a retry', async () => {
    const blocked = path.join(folder, 'not-a-folder');
    await fs.writeFile(blocked, 'a file where the output folder should be');
    const p = pipeline(server, path.join(blocked, 'videos'));
    const record = await succeededTask(p, 'blocked folder');
    await p.keeper.keep(record.taskId);
    const failedRecord = p.store.get(record.taskId)!;
    assert.equal(failedRecord.download.state, 'failed');
    assert.match(p.failed[0], /ENOTDIR|not a directory/i);
    assert.equal(failedRecord.status, 'SUCCEEDED');
    assert.ok(failedRecord.videoUrl);
    p.dispose();
  });

  it('case 8: a lease that cannot be written shows on the task, which keeps Download Video and is saved once storage works', async () => {
    // Global storage that refuses every write: a file where the leases' folder should be.
    const globalStorage = path.join(folder, 'global-storage');
    await fs.writeFile(globalStorage, 'not a folder');
    const p = pipeline(server, path.join(folder, 'videos'), new MemoryStorage(), undefined, new TaskLeases(path.join(globalStorage, 'leases')));
    const record = await succeededTask(p, 'lease write fails');
    await p.keeper.keep(record.taskId);
    const failedRecord = p.store.get(record.taskId)!;
    assert.equal(failedRecord.download.state, 'failed', 'the failure shows on the task, which keeps Download Video');
    assert.match(failedRecord.download.state === 'failed' ? failedRecord.download.error : '', /ENOTDIR|not a directory/i);
    assert.equal(p.failed.length, 1, 'and in a message');

    await fs.rm(globalStorage); // the storage works again
    await p.keeper.keep(record.taskId);
    assert.equal(p.store.get(record.taskId)!.download.state, 'done');
    p.dispose();
  });

  it('case 9: retries a failed download more than 24 h after the create while the service still hands out a link, then stops', async () => {
    const p = pipeline(server, folder);
    const record = await succeededTask(p, 'queued for hours');
    const dayAndHourAgo = Date.now() - 25 * 3600_000;
    await p.store.update(record.taskId, { createdAt: dayAndHourAgo, download: { state: 'failed', error: 'The connection was reset.', at: Date.now() - 60_000 } });
    p.keeper.keepAllPending(); // as at the next start
    await until('the retry', () => p.store.get(record.taskId)!.download.state === 'done', 3000);

    // Another one the service has forgotten meanwhile: asked once, then left alone.
    const gone = await succeededTask(p, 'forgotten');
    await p.store.update(gone.taskId, { createdAt: dayAndHourAgo, download: { state: 'failed', error: 'The connection was reset.', at: Date.now() - 60_000 } });
    server.tasks.delete(gone.taskId);
    server.download = { expired: true };
    p.keeper.keepAllPending();
    await until('the last look', () => p.store.get(gone.taskId)!.status === 'UNKNOWN', 3000);
    const downloads = server.requestsTo('download').length;
    p.keeper.keepAllPending();
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(server.requestsTo('download').length, downloads, 'not retried once the service no longer has it');
    p.dispose();
  });

  it('resumes a download cut off by a restart into the same name, leaving one video', async () => {
    const storage = new MemoryStorage();
    const first = pipeline(server, folder, storage);
    const record = await succeededTask(first, 'restart mid download');
    server.download = { stallAfterBytes: 10_000, stallTimes: 1 };
    const cutOff = first.keeper.keep(record.taskId);
    await until('the download to start', () => first.store.get(record.taskId)!.download.state === 'downloading' && server.requestsTo('download').length > 0);
    const partial = first.store.get(record.taskId)!.download;
    first.dispose(); // the extension host goes away mid-body
    await cutOff;

    const second = pipeline(server, folder, storage); // VS Code starts again
    second.poller.dispose();
    second.keeper.keepAllPending();
    await until('the save after restart', () => second.store.get(record.taskId)!.download.state === 'done');
    const done = second.store.get(record.taskId)!.download;
    assert.equal(done.state === 'done' ? done.path : '', partial.state === 'downloading' ? partial.path : 'no path');
    const files = await fs.readdir(folder);
    assert.deepEqual(files.filter((f) => f.endsWith('.mp4')).length, 1);
    assert.deepEqual(files.filter((f) => f.endsWith('.part')), []);
    assert.ok((await fs.readFile(done.state === 'done' ? done.path : '')).equals(server.video));
    second.dispose();
  });
});

describe('video file names', () => {
  it('make a short, safe slug from any prompt', () => {
    assert.equal(slug('A red fox, running!'), 'a-red-fox-running');
    assert.equal(slug('hello.wanprompt'), 'hello');
    assert.equal(slug('雪中的红狐狸'), '雪中的红狐狸');
    assert.equal(slug('../../etc/passwd'), 'etc-passwd');
    assert.equal(slug('!!!'), 'video');
    assert.ok(slug('x'.repeat(100)).length <= 40);
  });

  it('case 23: cut a slug by whole characters and keep the marks of Hindi and Thai names', () => {
    assert.equal(slug('नमस्ते दुनिया'), 'नमस्ते-दुनिया', 'Devanagari vowel signs and virama are kept');
    assert.equal(slug('สวัสดีชาวโลก'), 'สวัสดีชาวโลก', 'Thai vowel and tone marks are kept');
    const cut = slug(`${'a'.repeat(39)}𠀀𠀀`); // a character outside the BMP at the cut
    assert.doesNotMatch(cut, /\p{Cs}/u, 'no lone surrogate');
    assert.equal(cut, `${'a'.repeat(39)}𠀀`, 'cut after 40 characters, not 40 UTF-16 units');
    assert.equal(slug('कि'.repeat(50)), 'कि'.repeat(40), 'cut after 40 graphemes, never between a letter and its mark');
  });
});
