import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { TaskLeases } from '../../../src/tasks/taskLeases';
import type { RaceOrder } from './leaseRacer';

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

  it('takes over a lease whose last taker ended in the middle of taking it over', async () => {
    const stale = JSON.stringify({ owner: 'closed-window', expires: Date.now() - 1000 });
    const file = path.join(dir, 't7.poll.lease');
    writeFileSync(file, stale);
    const marker = `${file}.${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`;
    writeFileSync(marker, JSON.stringify({ owner: 'crashed-window', expires: Date.now() - 1 }));
    assert.equal(await new TaskLeases(dir).claim('t7', 'poll', 60_000), true);
    assert.equal(existsSync(marker), false, 'the marker is cleaned up');
  });

  it('case 20: lets exactly one of several windows take over an expired lease, in every one of 200 races', async () => {
    // Each window runs in its own thread, so the claims truly race through the file system.
    const windows = Array.from({ length: 6 }, () => new Worker(path.join(__dirname, 'leaseRacer.js')));
    try {
      const raceDir = mkdtempSync(path.join(dir, 'race-'));
      const wrong: string[] = [];
      for (let trial = 0; trial < 200; trial++) {
        const taskId = `race-${trial}`;
        // Left by a window that closed a while ago.
        writeFileSync(path.join(raceDir, `${taskId}.download.lease`), JSON.stringify({ owner: 'closed-window', expires: Date.now() - 1000 }));
        const answers = windows.map((w) => new Promise<{ won?: boolean; error?: string }>((resolve) => w.once('message', resolve)));
        for (const w of windows) w.postMessage({ dir: raceDir, taskId } satisfies RaceOrder);
        const results = await Promise.all(answers);
        const errors = results.filter((r) => r.error).map((r) => r.error);
        assert.deepEqual(errors, [], `trial ${trial}`);
        const winners = results.filter((r) => r.won).length;
        if (winners !== 1) wrong.push(`trial ${trial}: ${winners} winners`);
      }
      assert.deepEqual(wrong, [], `${wrong.length} of 200 races without exactly one winner`);
    } finally {
      await Promise.all(windows.map((w) => w.terminate()));
    }
  });
});
