// The cost to VS Code, measured in a real one (code-server 4.100.3 = VS Code 1.100.3, in Chromium): the packaged
// extension's size, its activation time as the workbench's Running Extensions view reports it (and, through the probe
// extension in test/bench/host, alone in an idle extension host), the extension host's memory with 500 tasks in
// storage against a host without the extension, and, inside that host, the Tasks view with 1000 tasks, diagnostics
// on a 5000-line prompt file, a 200 MB download next to curl and Node's http, and a 100 MB upload next to curl -F.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { WanClient } from '../../src/wan/client';
import { closeDispatcher } from '../../src/wan/http';
import { validateParams } from '../../src/wan/params';
import { WanTestServer } from '../server/wanServer';
import { ensureCodeServer, installVsix, launchChromium, startCodeServer, type RunningCodeServer } from '../vscode/codeServer';
import { storedTaskHistory } from './records';
import { repoRoot } from './repo';
import type { ConversionRounds } from './soundtrack';

const WAN_ID = 'wan-video-dev.wan-video';
const STORED_TASKS = 500;
const DOWNLOAD_BYTES = 200 * 1024 * 1024;
/** Tall, so the Running Extensions list (70 px a row, slowest first) shows the probe's row too. */
const VIEWPORT = { width: 1600, height: 2400 };

export interface HostReport {
  pid: number;
  rss: number;
  heapUsed: number;
  external: number;
  wan?: { tasks: number; loaded: string[] };
}

export interface WindowFigures {
  report: HostReport;
  /** activation times (code loading + activate call) from Running Extensions, ms */
  wanActivationMs?: number;
  probeActivationMs: number;
}

export interface Summary {
  median: number;
  p95: number;
  max: number;
}

export interface ActivationReport {
  tasks: number;
  rounds: { loadMs: number; activateMs: number }[];
  /** an extension that does nothing, loaded and activated the same way */
  emptyMs: number[];
}

export interface MeasureReport {
  tree: { tasks: number; produceMs: Summary; plainItemsMs: Summary; openMs: number; oneTask: { children: number; items: number }; wholeList: { children: number; items: number } };
  diagnostics: { lines: number; edits: number; checkMs: Summary; editRoundTripMs: Summary; problems: number };
  download: {
    runs: { bytes: number; ms: number; rssBefore: number; peakGrowth: number; retainedAfterGc: number }[];
    /** Debian's curl saving the same file, right after each run */
    curlMs: number[];
    /** Node's http client in the same host receiving the same file and dropping it */
    receiveOnlyMs: number[];
    /** Node's http client in the same host saving the same file with fs.createWriteStream */
    toFileMs: number[];
  };
  /** WanUploader sending a 100 MB clip to the test upload host */
  upload: {
    /** the first upload of the extension host, and curl's right after it: not in the rounds */
    first: { ms: number; curlMs: number };
    runs: { bytes: number; ms: number; peakGrowth: number; retainedAfterGc: number }[];
    /** curl -F posting the same form to the same host, right after each run */
    curlMs: number[];
  };
}

export interface VscodeFigures {
  vsixBytes: number;
  /** the installed extension's bundles: what activation loads and what loads on first use */
  bundleBytes: Record<string, number>;
  /** require() of each lazily loaded bundle in a fresh Node process, ms: what activation leaves out */
  lazyLoadMs: Record<string, number>;
  withoutWan: WindowFigures[];
  withWan: WindowFigures[];
  /** the packaged extension activated alone by the probe, in an idle extension host */
  activationAlone: ActivationReport;
  measured: MeasureReport;
  screenshots: string[];
}

export interface SoundHostFigures {
  /** the converter of the installed extension in the extension host */
  conversion: ConversionRounds;
  /** from the video saved to its preview having decoded sound, ms: the converted copy, and the original (reference) */
  savedToSound: { convert: number[]; original: number[]; pageReports: string[] };
  previewClipBytes: number;
}

/**
 * The soundtrack inside a real extension host (code-server, the packaged extension, the probe): the conversion of the
 * 15 s 1080P fixture next to ffmpeg, and the time from a 5 s 720P clip saved to its preview playing with sound.
 */
export async function runSoundHostBench(log: (line: string) => void): Promise<SoundHostFigures> {
  await ensureCodeServer({ log });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-bench-'));
  let browser: Browser | undefined;
  let server: WanTestServer | undefined;
  let codeServer: RunningCodeServer | undefined;
  try {
    log('packaging the extension (production build) and the probe…');
    const extensionsDir = path.join(work, 'ext');
    for (const vsix of [await packageProbe(work), packageWan(work)]) await installVsix(vsix, extensionsDir);
    const clip = path.join(work, 'clip-720p-5s.mp4');
    // A 5 s 720P clip as Wan makes it: H.264 at about Wan's rate, AAC-LC 48 kHz stereo.
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=5', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=5',
      '-ac', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-b:v', '6M', '-c:a', 'aac', '-b:a', '128k', '-shortest', clip]);
    server = await WanTestServer.start({ video: fs.readFileSync(clip) });
    // Long enough for the probe to close the prompt's editor before the preview opens.
    server.defaultScript = { pendingMs: 1000, runningMs: 1000 };
    const workspace = path.join(work, 'ws');
    fs.mkdirSync(workspace);
    const results = path.join(work, 'results');
    fs.mkdirSync(results);
    codeServer = await startCodeServer({
      workspaceFolder: workspace,
      runDir: path.join(work, 'cs'),
      extensionsDir,
      env: { WAN_BENCH_DIR: results, WAN_BENCH_REPO: repoRoot(), WAN_BENCH_PREVIEW_API: server.baseUrl, EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }) },
    });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
    const page = await openWindow(context, `${codeServer.url}/?folder=${encodeURIComponent(workspace)}`);
    await runProbe<HostReport>(page, results, 'report', 'Wan Bench: Report Extension Host', 120_000);
    log('  the converter inside the extension host…');
    const conversion = await runProbe<ConversionRounds>(page, results, 'sound', 'Wan Bench: Measure the Soundtrack Converter', 5 * 60_000);
    log('  video saved to preview playing with sound…');
    const savedToSound = await runProbe<SoundHostFigures['savedToSound']>(page, results, 'preview', 'Wan Bench: Measure Video Saved to Preview Sound', 5 * 60_000);
    await context.close();
    return { conversion, savedToSound, previewClipBytes: fs.statSync(clip).size };
  } finally {
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    await server?.close();
    await closeDispatcher();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Random bytes in the boxes of an MP4 (ftyp, an empty moov, mdat): the downloader keeps only a whole MP4. */
function randomMp4(bytes: number): Buffer {
  const video = randomFillSync(Buffer.alloc(bytes));
  video.writeUInt32BE(16, 0);
  video.write('ftypisom', 4, 'latin1');
  video.writeUInt32BE(0, 12);
  video.writeUInt32BE(8, 16);
  video.write('moov', 20, 'latin1');
  video.writeUInt32BE(bytes - 24, 24);
  video.write('mdat', 28, 'latin1');
  return video;
}

export async function runVscodeBench(windows: number, log: (line: string) => void): Promise<VscodeFigures> {
  await ensureCodeServer({ log });
  // Short: code-server puts unix sockets under it.
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-bench-'));
  const screenshotDir = path.join(repoRoot(), 'test-output', 'bench');
  fs.mkdirSync(screenshotDir, { recursive: true });
  let browser: Browser | undefined;
  let download: WanTestServer | undefined;
  try {
    log('packaging the extension (production build) and the probe…');
    const wanVsix = packageWan(work);
    const probeVsix = await packageProbe(work);
    download = await WanTestServer.start({ video: randomMp4(DOWNLOAD_BYTES) });
    const downloadUrl = await finishedTaskUrl(download);
    // An unpacked copy for the probe to load and activate on its own.
    const unpacked = path.join(work, 'ext-unpacked');
    await installVsix(wanVsix, unpacked);
    const wanDir = path.join(unpacked, `${WAN_ID}-${packageVersion()}`);
    const results = path.join(work, 'results');
    fs.mkdirSync(results);
    browser = await launchChromium();

    log(`${windows} windows without Wan Video (the probe alone)…`);
    const withoutWan = await session({ work, name: 'without', vsixes: [probeVsix], browser, results, downloadUrl, apiBase: download.baseUrl, wanDir, windows, withWan: false, screenshotDir, log });
    log(`${windows} windows with Wan Video and ${STORED_TASKS} tasks in its storage…`);
    const withWan = await session({ work, name: 'with', vsixes: [probeVsix, wanVsix], browser, results, downloadUrl, apiBase: download.baseUrl, wanDir, windows, withWan: true, screenshotDir, log });
    const installed = path.join(work, 'ext-with', `${WAN_ID}-${packageVersion()}`);
    const bundleBytes = Object.fromEntries(['dist/extension.js', 'dist/core.js', 'dist/net.js', 'dist/promptParser.js'].map((file) => [file, fs.statSync(path.join(installed, file)).size]));
    const lazyLoadMs = Object.fromEntries(['dist/net.js', 'dist/promptParser.js'].map((file) => [file, requireTime(path.join(installed, file))]));
    return {
      vsixBytes: fs.statSync(wanVsix).size,
      bundleBytes,
      lazyLoadMs,
      withoutWan: withoutWan.windows,
      withWan: withWan.windows,
      activationAlone: withoutWan.activationAlone!,
      measured: withWan.measured!,
      screenshots: [...withoutWan.screenshots, ...withWan.screenshots],
    };
  } finally {
    await browser?.close().catch(() => undefined);
    await download?.close();
    await closeDispatcher();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

interface SessionOptions {
  work: string;
  name: string;
  vsixes: string[];
  browser: Browser;
  results: string;
  downloadUrl: string;
  /** the test server's API, whose upload policy names its upload host */
  apiBase: string;
  /** an unpacked Wan Video for the probe to activate on its own */
  wanDir: string;
  windows: number;
  withWan: boolean;
  screenshotDir: string;
  log: (line: string) => void;
}

/** One code-server with these extensions; `windows` fresh windows (each a new extension host), then the probe's measurements. */
async function session(options: SessionOptions): Promise<{ windows: WindowFigures[]; activationAlone?: ActivationReport; measured?: MeasureReport; screenshots: string[] }> {
  const extensionsDir = path.join(options.work, `ext-${options.name}`);
  for (const vsix of options.vsixes) await installVsix(vsix, extensionsDir);
  const workspace = path.join(options.work, `ws-${options.name}`);
  fs.mkdirSync(workspace);
  let codeServer: RunningCodeServer | undefined;
  let context: BrowserContext | undefined;
  const screenshots: string[] = [];
  try {
    codeServer = await startCodeServer({
      workspaceFolder: workspace,
      runDir: path.join(options.work, `cs-${options.name}`),
      extensionsDir,
      env: {
        WAN_BENCH_DIR: options.results,
        WAN_BENCH_DOWNLOAD_URL: options.downloadUrl,
        WAN_BENCH_API_BASE: options.apiBase,
        WAN_BENCH_WAN_DIR: options.wanDir,
        EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: '' }),
      },
    });
    context = await options.browser.newContext({ viewport: VIEWPORT });
    const url = `${codeServer.url}/?folder=${encodeURIComponent(workspace)}`;
    if (options.withWan) await seedTasks(context, codeServer.url);
    const windows: WindowFigures[] = [];
    let measured: MeasureReport | undefined;
    let activationAlone: ActivationReport | undefined;
    for (let i = 0; i < options.windows; i++) {
      const page = await openWindow(context, url);
      try {
        const report = await runProbe<HostReport>(page, options.results, 'report', 'Wan Bench: Report Extension Host', 120_000);
        await runCommand(page, 'Developer: Show Running Extensions');
        const figures: WindowFigures = { report, probeActivationMs: await activationTime(page, /^(Wan Bench Probe|wan-bench\.wan-bench-probe)$/) };
        if (options.withWan) {
          figures.wanActivationMs = await activationTime(page, /^(Wan Video|wan-video-dev\.wan-video)$/);
          if (i === 0) screenshots.push(await screenshot(page, options.screenshotDir, 'bench-running-extensions'));
        }
        windows.push(figures);
        options.log(`  window ${i + 1}: host ${(report.rss / 2 ** 20).toFixed(1)} MB${figures.wanActivationMs === undefined ? '' : `, Wan Video activated in ${figures.wanActivationMs} ms`}`);
        if (!options.withWan && i === options.windows - 1) {
          options.log('  Wan Video activated alone by the probe…');
          activationAlone = await runProbe<ActivationReport>(page, options.results, 'activation', 'Wan Bench: Measure Activation Alone', 120_000);
        }
        if (options.withWan && i === options.windows - 1) {
          await runCommand(page, 'View: Close All Editors');
          await page.locator('.activitybar .action-item a[aria-label^="Wan Video"]').click();
          await page.locator('[id="workbench.view.extension.wan"] .monaco-list-row').first().waitFor();
          screenshots.push(await screenshot(page, options.screenshotDir, 'bench-tasks-view-500'));
          options.log('  tree, diagnostics and download inside the extension host…');
          measured = await runProbe<MeasureReport>(page, options.results, 'measure', 'Wan Bench: Measure Tree, Diagnostics, Download and Upload', 10 * 60_000);
        }
      } finally {
        await page.close();
        // code-server keeps a closed window's extension host for a reconnection; this one is done.
        const host = windows[windows.length - 1]?.report.pid;
        if (host) killQuietly(host);
      }
    }
    return { windows, activationAlone, measured, screenshots };
  } finally {
    await context?.close().catch(() => undefined);
    await codeServer?.stop();
  }
}

/** Puts the tasks into the browser's copy of VS Code's global state, where the workbench keeps extension storage. */
async function seedTasks(context: BrowserContext, origin: string): Promise<void> {
  const state = await storedTaskHistory(STORED_TASKS, Date.now());
  const page = await context.newPage();
  try {
    await page.goto(`${origin}/healthz`);
    const arg = { database: 'vscode-web-state-db-global', table: 'ItemTable', key: WAN_ID, value: JSON.stringify(state) };
    await page.evaluate(`(${SEED_SCRIPT})(${JSON.stringify(arg)})`);
  } finally {
    await page.close();
  }
}

/** Runs in the page: IndexedDB, as VS Code's BrowserStorageService keeps it (database, table, key → JSON text). */
const SEED_SCRIPT = `async ({ database, table, key, value }) => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(database);
    request.onupgradeneeded = () => request.result.createObjectStore(table);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  await new Promise((resolve, reject) => {
    const transaction = db.transaction(table, 'readwrite');
    transaction.objectStore(table).put(value, key);
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
  });
  db.close();
}`;

async function openWindow(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  return page;
}

/** Runs one of the probe's commands and waits for the figures it writes. */
async function runProbe<T>(page: Page, results: string, measurement: string, title: string, timeoutMs: number): Promise<T> {
  const file = path.join(results, `${measurement}.json`);
  fs.rmSync(file, { force: true });
  await runCommand(page, title);
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`The probe wrote no ${measurement}.json within ${timeoutMs / 1000} s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const result = JSON.parse(fs.readFileSync(file, 'utf8')) as T & { error?: string };
  if (result.error) throw new Error(`The probe's ${measurement} failed: ${result.error}`);
  return result;
}

/** F1, the command's title, a click on its row; again while the window is still starting and the row is missing. */
async function runCommand(page: Page, title: string): Promise<void> {
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label="${title}"], .quick-input-list .monaco-list-row[aria-label^="${title}, "]`).first();
  const deadline = Date.now() + 90_000;
  for (;;) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    try {
      await row.click({ timeout: 5000 });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

/** The "Activation: N ms" of an extension's row in Running Extensions, once it has one. */
async function activationTime(page: Page, name: RegExp): Promise<number> {
  const row = page.locator('.runtime-extensions-editor .monaco-list-row').filter({ has: page.locator('.name', { hasText: name }) });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = (await row.locator('.activation-time').textContent({ timeout: 30_000 })) ?? '';
    const match = /(\d+)\s*ms/.exec(text);
    if (match) return Number(match[1]);
    if (Date.now() > deadline) throw new Error(`No activation time for ${name} in Running Extensions: "${text}"`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return path.relative(repoRoot(), file);
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

function packageWan(work: string): string {
  const out = path.join(work, 'wan-video.vsix');
  vsce(repoRoot(), out);
  return out;
}

/** The probe: its manifest, and esbuild bundles of its code (the extension's own sources it measures included). */
async function packageProbe(work: string): Promise<string> {
  const dir = path.join(work, 'probe');
  const host = path.join(repoRoot(), 'test', 'bench', 'host');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- esbuild loads only when the probe is packaged
  const esbuild = require('esbuild') as typeof import('esbuild');
  await esbuild.build({
    entryPoints: { extension: path.join(host, 'probeExtension.ts'), measure: path.join(host, 'measure.ts') },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outdir: dir,
    external: ['vscode', './measure'],
    logLevel: 'error',
  });
  fs.copyFileSync(path.join(host, 'package.json'), path.join(dir, 'package.json'));
  const out = path.join(work, 'probe.vsix');
  vsce(dir, out, ['--skip-license']);
  return out;
}

function vsce(cwd: string, out: string, extra: string[] = []): void {
  const bin = path.join(repoRoot(), 'node_modules', '.bin', 'vsce');
  const result = spawnSync(bin, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', ...extra, '--out', out], { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vsce package in ${cwd} failed:\n${result.stdout}${result.stderr}`);
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** A finished task on the test server, whose result link serves the big file. */
async function finishedTaskUrl(server: WanTestServer): Promise<string> {
  const checked = validateParams({ prompt: 'A 200 MB video for the download benchmark', seed: 1 });
  if (!checked.params) throw new Error('The download task parameters are refused.');
  server.scriptNextTasks({ pendingMs: 0, runningMs: 0 });
  const client = new WanClient({ baseUrl: server.baseUrl, apiKey: 'sk-bench' });
  const task = await client.createTask(checked.params);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return server.videoUrlFor(task.taskId);
}

/** How long require() of a bundle takes in a fresh Node process. */
function requireTime(file: string): number {
  // dist/core.js is already loaded at first use (activation loads it): only the lazy bundle itself is timed.
  const core = JSON.stringify(path.join(path.dirname(file), 'core.js'));
  const script = `const { performance } = require('node:perf_hooks'); require(${core}); const t = performance.now(); require(${JSON.stringify(file)}); console.log(performance.now() - t);`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Could not load ${file}: ${result.stderr}`);
  return Number(result.stdout.trim());
}
