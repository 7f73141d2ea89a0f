// The polling simulation: the extension's poller, the official SDKs' schedule and the documented fixed 15 s each
// follow the same simulated tasks (taskModel.ts) on the Wan test server, in scaled-down time, until every video
// is on disk. Figures are in service time: what a user would see at full speed.
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../src/common/clock';
import { TaskPoller } from '../../src/tasks/taskPoller';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { TaskStore } from '../../src/tasks/taskStore';
import { VideoKeeper } from '../../src/tasks/videoKeeper';
import { WanClient } from '../../src/wan/client';
import { downloadVideo } from '../../src/wan/download';
import { toCreateBody, validateParams, type GenerationParams } from '../../src/wan/params';
import { isTerminal, type WanTask } from '../../src/wan/task';
import { WanTestServer } from '../server/wanServer';
import { repoRoot } from './repo';
import { drawGenerationMs, planAccount, seededRandom, type PlannedTask } from './taskModel';
import { MemoryStorage } from '../unit/tasks/helpers';

/** How long each group of runs should take in real time. */
const TARGET_REAL_MS = 40_000;
/** What the extension waits before the first query of a new task (src/generate/submitter.ts). */
const FIRST_POLL_MS = 4000;
const KEY = 'sk-bench';
/** Sub-millisecond: at 1/60 speed a millisecond is 60 ms of service time, too coarse for a budget of 2 queries a second. */
const PRECISE_CLOCK: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export type ScheduleName = 'ours' | 'sdk' | 'fixed15';

export interface ScheduleFigures {
  schedule: ScheduleName;
  /** what differs from the plain run of this schedule, e.g. "no list call" */
  variant?: string;
  tasks: number;
  queriesPerTask: number;
  /** the most queries (and list calls) one account made within any second */
  peakPerSecond: number;
  /** completion on the service to the video on disk, service time */
  delayP50Ms: number;
  delayP95Ms: number;
}

export interface GroupFigures {
  tasksPerAccount: number;
  accounts: number;
  /** real ms per service ms */
  scale: number;
  realSeconds: number;
  /** how late timers fired at the 99th percentile, in service ms: the simulation's own error */
  timerLagP99Ms: number;
  runs: ScheduleFigures[];
}

export interface PollingRun {
  schedule: ScheduleName;
  variant?: string;
  /** finished tasks of the same size in the store beforehand (ours only) */
  history: number;
  /** whether the endpoint answers list calls */
  list: boolean;
}

interface Outcome {
  queries: number;
  peakPerSecond: number;
  delaysMs: number[];
}

/** What one account sees: its own server (a list call shows only its tasks), its own store and downloads. */
interface Account {
  server: WanTestServer;
  client: WanClient;
  /** when each query or list call was sent, real ms */
  asked: number[];
  folder: string;
  /** real ms on the server's clock, per task id */
  completedAt: Map<string, number>;
  detectedAt: Map<string, number>;
  savedAt: Map<string, number>;
  failures: string[];
}

export async function runPollingGroup(tasksPerAccount: number, accounts: number, runs: PollingRun[], seed: number): Promise<GroupFigures> {
  const plans = Array.from({ length: accounts }, (_, i) => planAccount(seededRandom(seed + i), tasksPerAccount));
  const longest = Math.max(...plans.flat().map((t) => t.pendingMs + t.runningMs));
  const scale = TARGET_REAL_MS / (longest + 30_000);
  const params = paramsForBench();
  const video = readFileSync(path.join(repoRoot(), 'test', 'fixtures', 'sample.mp4'));
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  const started = Date.now();
  const figures = await Promise.all(runs.map(async (run) => {
    const outcomes = await Promise.all(plans.map((plan, i) => runAccount(run, plan, params, video, scale, seed + 1000 * (i + 1))));
    return summarise(run, tasksPerAccount, outcomes);
  }));
  lag.disable();
  return {
    tasksPerAccount,
    accounts,
    scale,
    realSeconds: (Date.now() - started) / 1000,
    timerLagP99Ms: lag.percentile(99) / 1e6 / scale,
    runs: figures,
  };
}

async function runAccount(run: PollingRun, plan: PlannedTask[], params: GenerationParams, video: Buffer, scale: number, historySeed: number): Promise<Outcome> {
  const server = await WanTestServer.start({ listSupported: run.list, video });
  const account: Account = {
    server,
    client: new WanClient({ baseUrl: server.baseUrl, apiKey: KEY }),
    asked: [],
    folder: await fs.mkdtemp(path.join(os.tmpdir(), 'wan-bench-poll-')),
    completedAt: new Map(),
    detectedAt: new Map(),
    savedAt: new Map(),
    failures: [],
  };
  try {
    if (run.schedule === 'ours') await followWithPoller(account, run, plan, params, scale, historySeed);
    else await followWithReference(account, run.schedule, plan, params, scale);
    return measure(account, scale);
  } finally {
    await server.close();
    await fs.rm(account.folder, { recursive: true, force: true });
  }
}

/** Creates the planned tasks on the account's server, in order, and notes when each will end. */
async function createTasks(account: Account, plan: PlannedTask[], params: GenerationParams, scale: number): Promise<WanTask[]> {
  const created: WanTask[] = [];
  for (const planned of plan) {
    account.server.scriptNextTasks({ pendingMs: planned.pendingMs * scale, runningMs: planned.runningMs * scale });
    const task = await account.client.createTask(params);
    const serverTask = account.server.tasks.get(task.taskId)!;
    account.completedAt.set(task.taskId, serverTask.createdAt + (planned.pendingMs + planned.runningMs) * scale);
    created.push(task);
  }
  return created;
}

/** The extension's own path: store, poller and video keeper, wired as src/taskView/taskTracking.ts wires them. */
async function followWithPoller(account: Account, run: PollingRun, plan: PlannedTask[], params: GenerationParams, scale: number, historySeed: number): Promise<void> {
  const store = new TaskStore(new MemoryStorage());
  const random = seededRandom(historySeed);
  for (let i = 0; i < run.history; i++) await store.add(pastTask(`past-${i}`, params, drawGenerationMs(random) * scale, i));
  const { client, asked } = account;
  const keeper = new VideoKeeper({
    store,
    download: (url, target, signal) => downloadVideo(url, target, { signal }),
    requery: (record, signal) => {
      asked.push(performance.now());
      return client.getTask(record.taskId, signal);
    },
    folderFor: () => account.folder,
    requestOf: toCreateBody,
    onSaved: (record) => account.savedAt.set(record.taskId, Date.now()),
    onFailed: (record, message) => account.failures.push(`task ${record.taskId}: download failed: ${message}`),
  });
  const poller = new TaskPoller({
    store,
    queryTask: (record, signal) => {
      asked.push(performance.now());
      return client.getTask(record.taskId, signal);
    },
    listTasks: async (_record, window, signal) => {
      asked.push(performance.now());
      const query = { startTime: new Date(window.startTime), endTime: new Date(window.endTime), pageNo: 1, pageSize: window.pageSize };
      return (await client.listTasks(query, signal)).tasks;
    },
    onFinished: (record) => {
      account.detectedAt.set(record.taskId, Date.now());
      void keeper.keep(record.taskId);
    },
    timeScale: scale,
    clock: PRECISE_CLOCK,
  });
  try {
    for (const task of await createTasks(account, plan, params, scale)) {
      await store.add(newRecord(task, account.server.baseUrl, params));
      poller.pollSoon(task.taskId, FIRST_POLL_MS);
    }
    await until(() => {
      if (account.failures.length > 0) throw new Error(account.failures.join('\n'));
      return account.savedAt.size === plan.length;
    });
  } finally {
    poller.dispose();
    keeper.dispose();
    store.dispose();
  }
}

/** The official SDKs' wait (query at once, then 1 s, doubling every third query up to 5 s) or the documented 15 s. */
async function followWithReference(account: Account, schedule: 'sdk' | 'fixed15', plan: PlannedTask[], params: GenerationParams, scale: number): Promise<void> {
  const tasks = await createTasks(account, plan, params, scale);
  await Promise.all(tasks.map(async (created, i) => {
    let wait = schedule === 'sdk' ? 1000 : 15_000;
    if (schedule === 'fixed15') await sleep(wait * scale);
    for (let step = 1; ; step++) {
      account.asked.push(performance.now());
      const task = await account.client.getTask(created.taskId);
      if (isTerminal(task.status)) {
        account.detectedAt.set(task.taskId, Date.now());
        await downloadVideo(task.videoUrl!, path.join(account.folder, `${i}.mp4`));
        account.savedAt.set(task.taskId, Date.now());
        return;
      }
      if (schedule === 'sdk' && step % 3 === 0) wait = Math.min(wait * 2, 5000);
      await sleep(wait * scale);
    }
  }));
}

function measure(account: Account, scale: number): Outcome {
  const delaysMs = [...account.completedAt].map(([id, completed]) => {
    const detected = account.detectedAt.get(id)!;
    // Waiting for the answer is scaled time; the download itself ran at full speed.
    return (detected - completed) / scale + (account.savedAt.get(id)! - detected);
  });
  return { queries: account.asked.length, peakPerSecond: peakInAnySecond(account.asked.map((at) => at / scale)), delaysMs };
}

/** The most events within any one second (a sliding window), for times in ms. */
export function peakInAnySecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while (sorted[last] - sorted[first] >= 1000) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

function summarise(run: PollingRun, tasksPerAccount: number, outcomes: Outcome[]): ScheduleFigures {
  const delays = outcomes.flatMap((o) => o.delaysMs);
  return {
    schedule: run.schedule,
    variant: run.variant,
    tasks: tasksPerAccount,
    queriesPerTask: outcomes.reduce((sum, o) => sum + o.queries, 0) / (tasksPerAccount * outcomes.length),
    peakPerSecond: Math.max(...outcomes.map((o) => o.peakPerSecond)),
    delayP50Ms: percentile(delays, 50),
    delayP95Ms: percentile(delays, 95),
  };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low] + (sorted[Math.ceil(rank)] - sorted[low]) * (rank - low);
}

async function until(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 4 * TARGET_REAL_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('The polling simulation did not get every video within its time.');
    await sleep(20);
  }
}

function paramsForBench(): GenerationParams {
  const checked = validateParams({ prompt: 'A paper boat drifting down a rain gutter', resolution: '720P', duration: 5, seed: 42 });
  if (!checked.params) throw new Error(`The benchmark's parameters are refused: ${JSON.stringify(checked)}`);
  return checked.params;
}

function newRecord(task: WanTask, baseUrl: string, params: GenerationParams): TaskRecord {
  return {
    taskId: task.taskId,
    endpoint: 'custom',
    baseUrl,
    params,
    source: { kind: 'input', label: 'bench' },
    status: task.status,
    createdAt: Date.now(),
    requestId: task.requestId,
    submitTime: task.submitTime,
    download: { state: 'none' },
  };
}

/** A task of the same size that ran `runMs` (real, scaled) and finished some hours ago. */
function pastTask(taskId: string, params: GenerationParams, runMs: number, index: number): TaskRecord {
  const start = Date.now() - (index + 1) * 3_600_000;
  return {
    taskId,
    endpoint: 'custom',
    baseUrl: 'http://127.0.0.1:9/api/v1',
    params,
    source: { kind: 'input', label: 'earlier' },
    status: 'SUCCEEDED',
    createdAt: start,
    submitTime: start,
    scheduledTime: start,
    endTime: start + runMs,
    finishedAt: start + runMs,
    download: { state: 'done', path: '/nowhere.mp4', bytes: 1, at: start + runMs },
  };
}

