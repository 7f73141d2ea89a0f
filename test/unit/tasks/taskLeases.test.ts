import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { TaskLeases } from '../../../src/tasks/taskLeases';

describe('task leases between windows', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wan-leases-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a task to one window at a time', async () => {
    let now = 1000;
    const windowA = new TaskLeases(dir, () => now);
    const windowB = new TaskLeases(dir, () => now);
    assert.equal(await windowA.claim('t1', 'poll', 60_000), true);
    assert.equal(await windowB.claim('t1', 'poll', 60_000), false, 'B must not poll what A polls');
    assert.equal(await windowA.claim('t1', 'poll', 60_000), true, 'A keeps and extends its lease');
    assert.equal(await windowB.claim('t1', 'download', 60_000), true, 'purposes are separate');
    now += 61_000;
    assert.equal(await windowB.claim('t1', 'poll', 60_000), true, 'a lease that ran out (A closed) is taken over');
    assert.equal(await windowA.claim('t1', 'poll', 60_000), false);
  });

  it('frees a lease on release, only for its holder', async () => {
    const windowA = new TaskLeases(dir);
    const windowB = new TaskLeases(dir);
    assert.equal(await windowA.claim('t2', 'download', 60_000), true);
    await windowB.release('t2', 'download');
    assert.equal(await windowB.claim('t2', 'download', 60_000), false, 'B cannot free A\'s lease');
    await windowA.release('t2', 'download');
    assert.equal(await windowB.claim('t2', 'download', 60_000), true);
  });

  it('treats a broken lease file as free', async () => {
    writeFileSync(path.join(dir, 't3.poll.lease'), '{"own');
    assert.equal(await new TaskLeases(dir).claim('t3', 'poll', 1000), true);
  });

  it('takes over at once a lease whose extension host has ended (a reloaded window), not one whose host lives', async () => {
    const ended = spawnSync(process.execPath, ['-e', '']).pid;
    const lease = (pid: number) => JSON.stringify({ owner: 'old-window', expires: Date.now() + 60_000, pid, host: os.hostname() });
    writeFileSync(path.join(dir, 't5.poll.lease'), lease(ended));
    assert.equal(await new TaskLeases(dir).claim('t5', 'poll', 60_000), true);
    writeFileSync(path.join(dir, 't6.poll.lease'), lease(process.ppid));
    assert.equal(await new TaskLeases(dir).claim('t6', 'poll', 60_000), false);
  });

  it('lets exactly one of many windows win a race for a free task', async () => {
    const windows = Array.from({ length: 8 }, () => new TaskLeases(dir));
    const results = await Promise.all(windows.map((w) => w.claim('t4', 'download', 60_000)));
    assert.equal(results.filter(Boolean).length, 1);
  });
});
