// Measurements inside a real extension host, next to the installed Wan Video extension. Each command writes its
// figures to $WAN_BENCH_DIR/<measurement>.json, where the benchmark's runner (test/bench/vscodeBench.ts) reads them.
import * as childProcess from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { WanVideoApi } from '../../../src/extension';
import type { TaskRecord } from '../../../src/tasks/taskRecord';
import { PromptDiagnostics } from '../../../src/promptLanguage/diagnostics';
import { TaskTreeProvider } from '../../../src/taskView/taskTree';
import { TaskStore } from '../../../src/tasks/taskStore';
import { MemoryStorage } from '../../unit/tasks/helpers';
import { storedTaskHistory, taskHistory } from '../records';
import { BENCH_CLIP, conversionRounds, type ConversionRounds } from '../soundtrack';

const WAN_ID = 'wan-video-dev.wan-video';
/** After activation, what the extension starts (store, poller, views) has this long to settle before memory is read. */
const SETTLE_MS = 3000;
const TREE_TASKS = 1000;
const STORED_TASKS = 500;
const ACTIVATION_ROUNDS = 5;
const PROMPT_FILE_LINES = 5000;
const EDITS = 30;
const DOWNLOADS = 3;
const UPLOAD_BYTES = 100 * 1024 * 1024;
const UPLOADS = 5;
const UPLOAD_MODEL = 'wan2.7-i2v';
const PREVIEW_ROUNDS = 5;

export async function run(measurement: 'report' | 'activation' | 'measure' | 'sound' | 'preview', context: vscode.ExtensionContext): Promise<void> {
  let result: unknown;
  try {
    if (measurement === 'report') result = await report();
    else if (measurement === 'activation') result = await measureActivation(context);
    else if (measurement === 'sound') result = await measureSoundtrack();
    else if (measurement === 'preview') result = await measurePreview(context);
    else result = { tree: await measureTree(), diagnostics: await measureDiagnostics(), download: await measureDownload(), upload: await measureUpload() };
  } catch (error) {
    result = { error: error instanceof Error ? error.stack ?? error.message : String(error) };
  }
  fs.writeFileSync(path.join(benchDir(), `${measurement}.json`), JSON.stringify(result, null, 2));
}

/** The extension host's memory once Wan Video (if installed) is active, and what of it is loaded. */
async function report(): Promise<object> {
  const wan = vscode.extensions.getExtension<WanVideoApi>(WAN_ID);
  if (wan) {
    await waitFor('Wan Video to activate', () => wan.isActive, 60_000);
    await sleep(SETTLE_MS);
  }
  collectGarbage();
  const memory = process.memoryUsage();
  return {
    pid: process.pid,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external,
    wan: wan && {
      tasks: wan.exports.tasks().length,
      // Which of its bundles are loaded: at start-up only dist/extension.js and dist/core.js should be.
      loaded: Object.keys(require.cache).filter((file) => file.startsWith(wan.extensionPath)).map((file) => path.relative(wan.extensionPath, file)),
    },
  };
}

/**
 * The packaged extension loaded and activated by this probe in an otherwise idle extension host, with 500 tasks in
 * its storage: what activation costs without the other extensions that start at the same moment. Each round loads a
 * fresh copy of dist/extension.js (inside this extension's folder, so it gets a vscode API), then disposes it.
 */
async function measureActivation(probe: vscode.ExtensionContext): Promise<object> {
  const source = process.env.WAN_BENCH_WAN_DIR;
  if (!source) throw new Error('WAN_BENCH_WAN_DIR is not set.');
  const state = await storedTaskHistory(STORED_TASKS, Date.now());
  const rounds: { loadMs: number; activateMs: number }[] = [];
  for (let i = 0; i < ACTIVATION_ROUNDS; i++) {
    const copy = path.join(probe.extensionPath, `wan-copy-${i}`);
    fs.cpSync(source, copy, { recursive: true });
    const storage = path.join(benchDir(), `wan-copy-storage-${i}`);
    const context = {
      subscriptions: [] as vscode.Disposable[],
      globalState: new MemoryMemento(structuredClone(state)),
      workspaceState: new MemoryMemento({}),
      secrets: probe.secrets,
      extensionUri: vscode.Uri.file(copy),
      extensionPath: copy,
      globalStorageUri: vscode.Uri.file(storage),
      storageUri: vscode.Uri.file(storage),
      logUri: vscode.Uri.file(storage),
      extensionMode: vscode.ExtensionMode.Production,
      asAbsolutePath: (relative: string) => path.join(copy, relative),
    };
    const loading = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading a fresh copy of the bundle is what this times
    const extension = require(path.join(copy, 'dist', 'extension.js')) as typeof import('../../../src/extension');
    const activating = performance.now();
    extension.activate(context as unknown as vscode.ExtensionContext);
    const done = performance.now();
    rounds.push({ loadMs: activating - loading, activateMs: done - activating });
    // Let what activation started (the poller's resume, the key check) settle before taking it down.
    await sleep(500);
    for (const disposable of context.subscriptions) disposable.dispose();
    await extension.deactivate();
  }
  // The same for an extension that does nothing: the floor of this way of measuring.
  const emptyMs: number[] = [];
  for (let i = 0; i < ACTIVATION_ROUNDS; i++) {
    const file = path.join(probe.extensionPath, `empty-copy-${i}.js`);
    fs.writeFileSync(file, 'exports.activate = () => {};\n');
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading a file just written is what this times
    (require(file) as { activate(): void }).activate();
    emptyMs.push(performance.now() - started);
  }
  return { tasks: STORED_TASKS, rounds, emptyMs };
}

/** The Tasks view's provider over 1000 finished tasks: time to produce every item, and what one task's change redraws. */
async function measureTree(): Promise<object> {
  const store = new TaskStore(new MemoryStorage());
  const records = taskHistory(TREE_TASKS, Date.now());
  for (const record of records) await store.add(record);
  const provider = new TaskTreeProvider(store);
  const produce = () => {
    for (const id of provider.getChildren()) provider.getTreeItem(id);
  };
  const plainItems = () => {
    for (const record of records) {
      const item = new vscode.TreeItem(record.params.prompt);
      item.id = record.taskId;
    }
  };
  produce();
  plainItems();
  const produceMs = timesOf(20, produce);
  const plainMs = timesOf(20, plainItems);

  // The same provider behind a real view: count what VS Code asks for.
  const calls = { children: 0, items: 0 };
  const counting: vscode.TreeDataProvider<string> = {
    onDidChangeTreeData: provider.onDidChangeTreeData,
    getChildren: (element) => {
      calls.children++;
      return provider.getChildren(element);
    },
    getTreeItem: (element) => {
      calls.items++;
      return provider.getTreeItem(element);
    },
    getParent: (element) => provider.getParent(element),
  };
  const view = vscode.window.createTreeView('wanBench.tasks', { treeDataProvider: counting });
  try {
    const opened = performance.now();
    await vscode.commands.executeCommand('wanBench.tasks.focus');
    await waitFor('the view to ask for every item', () => calls.items >= TREE_TASKS, 30_000);
    const openMs = performance.now() - opened;
    await sleep(1000);
    const afterChange = async (change: () => Promise<void>) => {
      calls.children = 0;
      calls.items = 0;
      await change();
      await sleep(1500);
      return { ...calls };
    };
    // One task's download fails: one item should be asked for again.
    const oneTask = await afterChange(() => store.update(records[TREE_TASKS / 2].taskId, { download: { state: 'failed', error: 'disk full', at: Date.now() } }));
    // For comparison, a removal, which refreshes the whole list.
    const wholeList = await afterChange(() => store.remove([records[TREE_TASKS - 1].taskId]));
    return { tasks: TREE_TASKS, produceMs: summary(produceMs), plainItemsMs: summary(plainMs), openMs, oneTask, wholeList };
  } finally {
    view.dispose();
    provider.dispose();
    store.dispose();
  }
}

/** The problems of a 5000-line prompt file, recomputed on each keystroke: time per edit. */
async function measureDiagnostics(): Promise<object> {
  const file = path.join(benchDir(), 'long.wanprompt');
  fs.writeFileSync(file, longPromptFile(PROMPT_FILE_LINES));
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(document);
  const diagnostics = new PromptDiagnostics();
  const checkMs: number[] = [];
  const check = diagnostics.check.bind(diagnostics);
  // The listeners call this.check: time each call they make for this document.
  diagnostics.check = (changed) => {
    const started = performance.now();
    check(changed);
    if (changed === document) checkMs.push(performance.now() - started);
  };
  try {
    diagnostics.check(document); // loads the parser, as the first keystroke in a session would
    checkMs.length = 0;
    const editMs: number[] = [];
    const line = Math.floor(PROMPT_FILE_LINES / 2);
    for (let i = 0; i < EDITS; i++) {
      const started = performance.now();
      await editor.edit((builder) => builder.insert(new vscode.Position(line, 0), 'x'));
      editMs.push(performance.now() - started);
    }
    await sleep(500);
    const problems = vscode.languages.getDiagnostics(document.uri).length;
    return { lines: document.lineCount, edits: EDITS, checkMs: summary(checkMs), editRoundTripMs: summary(editMs), problems };
  } finally {
    diagnostics.dispose();
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    fs.rmSync(file, { force: true });
  }
}

/**
 * The extension's own downloader (its dist/net.js) fetching the big file: time and the host's memory growth. Each
 * round also times, right after it, Debian's curl saving the same file and Node's own http client in this process
 * receiving it and dropping it (the ceiling for any JavaScript downloader here), so that all three meet the same load.
 */
async function measureDownload(): Promise<object> {
  const url = process.env.WAN_BENCH_DOWNLOAD_URL;
  const wan = vscode.extensions.getExtension(WAN_ID);
  if (!url || !wan) throw new Error('No download URL, or no Wan Video extension in this window.');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed extension's own dist/net.js, at run time
  const net = require(path.join(wan.extensionPath, 'dist', 'net.js')) as typeof import('../../../src/bundles/net');
  const runs: { bytes: number; ms: number; rssBefore: number; peakGrowth: number; retainedAfterGc: number }[] = [];
  const curlMs: number[] = [];
  const receiveOnlyMs: number[] = [];
  const toFileMs: number[] = [];
  for (let i = 0; i < DOWNLOADS; i++) {
    const target = path.join(benchDir(), `download-${i}.mp4`);
    fs.rmSync(target, { force: true });
    collectGarbage();
    const liveBefore = liveBytes();
    const rssBefore = process.memoryUsage.rss();
    resetPeakMemory();
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    const started = performance.now();
    try {
      const saved = await net.downloadVideo(url, target);
      const ms = performance.now() - started;
      clearInterval(sampler);
      peak = Math.max(peak, peakMemory() ?? 0);
      // What the download leaves behind once garbage is collected: the received chunks are garbage once written.
      collectGarbage();
      runs.push({ bytes: saved.bytes, ms, rssBefore, peakGrowth: peak - rssBefore, retainedAfterGc: liveBytes() - liveBefore });
    } finally {
      clearInterval(sampler);
      fs.rmSync(target, { force: true });
    }
    curlMs.push(await curl(url, target));
    fs.rmSync(target, { force: true });
    receiveOnlyMs.push(await receiveOnly(url));
    toFileMs.push(await httpToFile(url, target));
    fs.rmSync(target, { force: true });
  }
  return { runs, curlMs, receiveOnlyMs, toFileMs };
}

/** Node's own http client in this process saving the file with fs.createWriteStream: a downloader's fair reference. */
async function httpToFile(url: string, target: string): Promise<number> {
  const started = performance.now();
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(url, resolve).on('error', reject));
  await pipeline(response, fs.createWriteStream(target));
  return performance.now() - started;
}

/**
 * The extension's WanUploader (its dist/net.js) sending a 100 MB clip to the test upload host: time and the host's
 * memory growth, as for the download. Right after each round, curl posts the same form (the policy's fields, the
 * file last) to the same host.
 */
async function measureUpload(): Promise<object> {
  const baseUrl = process.env.WAN_BENCH_API_BASE;
  const wan = vscode.extensions.getExtension(WAN_ID);
  if (!baseUrl || !wan) throw new Error('No API base URL, or no Wan Video extension in this window.');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed extension's own dist/net.js, at run time
  const net = require(path.join(wan.extensionPath, 'dist', 'net.js')) as typeof import('../../../src/bundles/net');
  const file = path.join(benchDir(), 'clip.mp4');
  writeRandomFile(file, UPLOAD_BYTES);
  const uploader = new net.WanUploader({ baseUrl, apiKey: 'sk-bench' });
  const runs: { bytes: number; ms: number; peakGrowth: number; retainedAfterGc: number }[] = [];
  const curlMs: number[] = [];
  try {
    // The first upload of a fresh extension host pays for warming up (JIT, first buffers): timed, but not in the median.
    let started = performance.now();
    await uploader.upload(file, UPLOAD_MODEL, new AbortController().signal, () => undefined);
    const first = { ms: performance.now() - started, curlMs: await curlUpload(baseUrl, file) };
    for (let i = 0; i < UPLOADS; i++) {
      collectGarbage();
      const liveBefore = liveBytes();
      const rssBefore = process.memoryUsage.rss();
      resetPeakMemory();
      let peak = rssBefore;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
      started = performance.now();
      try {
        await uploader.upload(file, UPLOAD_MODEL, new AbortController().signal, () => undefined);
        const ms = performance.now() - started;
        clearInterval(sampler);
        peak = Math.max(peak, peakMemory() ?? 0);
        collectGarbage();
        runs.push({ bytes: UPLOAD_BYTES, ms, peakGrowth: peak - rssBefore, retainedAfterGc: liveBytes() - liveBefore });
      } finally {
        clearInterval(sampler);
      }
      curlMs.push(await curlUpload(baseUrl, file));
    }
    return { first, runs, curlMs };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * The extension's SoundtrackConverter (its dist/net.js, worker and wasm, as installed) converting the 15 s 1080P
 * fixture in this extension host, beside the system ffmpeg; the host's peak memory growth, the worker's included.
 */
async function measureSoundtrack(): Promise<ConversionRounds> {
  const repo = process.env.WAN_BENCH_REPO;
  const wan = vscode.extensions.getExtension(WAN_ID);
  if (!repo || !wan) throw new Error('No WAN_BENCH_REPO, or no Wan Video extension in this window.');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the installed extension's own dist/net.js, at run time
  const net = require(path.join(wan.extensionPath, 'dist', 'net.js')) as typeof import('../../../src/bundles/net');
  const clip = path.join(repo, BENCH_CLIP);
  const folder = fs.mkdtempSync(path.join(benchDir(), 'sound-'));
  const dist = path.join(wan.extensionPath, 'dist');
  const converter = new net.SoundtrackConverter({
    workerFile: path.join(dist, 'soundtrackWorker.js'),
    glueFile: path.join(dist, 'soundtrack.js'),
    allowedFolders: () => [path.dirname(clip), folder],
  });
  try {
    collectGarbage();
    return await conversionRounds((input, output) => converter.convert(input, output), clip, folder);
  } finally {
    converter.dispose();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * A task whose video (the bench's 5 s 720P clip with AAC sound, from the test server) is saved by the extension's
 * keeper and opened in its preview, as a user gets it: the time from the save (the record's download time) to the
 * preview's page having decoded the sound of the file it plays (Chromium's decoded audio bytes above 0). With
 * wan.preview.soundtrack "convert" the page plays the converted copy (desktop VS Code's way); with "original" the
 * file itself (code-server's Chromium decodes AAC): the reference, in the same host.
 */
async function measurePreview(probe: vscode.ExtensionContext): Promise<object> {
  const baseUrl = process.env.WAN_BENCH_PREVIEW_API;
  const wan = vscode.extensions.getExtension<WanVideoApi>(WAN_ID);
  if (!baseUrl || !wan) throw new Error('No WAN_BENCH_PREVIEW_API, or no Wan Video extension in this window.');
  const api = wan.isActive ? wan.exports : await wan.activate();
  const config = () => vscode.workspace.getConfiguration('wan');
  const settings: [string, unknown][] = [['baseUrl', baseUrl], ['endpoint', 'custom'], ['outputFolder', path.join(benchDir(), 'videos')], ['openPreviewOnSuccess', true]];
  for (const [key, value] of settings) await config().update(key, value, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('wan.setApiKey', 'sk-bench');
  const savedToSound: Record<'convert' | 'original', number[]> = { convert: [], original: [] };
  const pageReports: string[] = [];
  for (let i = 0; i < PREVIEW_ROUNDS; i++) {
    for (const choice of ['convert', 'original'] as const) {
      await config().update('preview.soundtrack', choice, vscode.ConfigurationTarget.Global);
      const sentence = `A drummer on a rooftop at dawn, take ${i} (${choice}).`;
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ content: sentence }));
      editor.selection = new vscode.Selection(0, 0, 0, sentence.length);
      const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromSelection');
      if (!record) throw new Error('The task was not submitted.');
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      let savedAt = 0;
      let decodedAt = 0;
      // What the page said on the way, for a round that takes long: ms after the save, its event, source and sound bytes.
      const reports: string[] = [];
      let last: unknown;
      let previewOpenAt = 0;
      await waitFor('the video saved and its preview playing with sound', () => {
        const download = api.tasks().find((t) => t.taskId === record.taskId)?.download;
        if (download?.state === 'done') savedAt = download.at;
        const state = api.videoState(record.taskId);
        if (!previewOpenAt && api.isPreviewOpen(record.taskId)) {
          previewOpenAt = Date.now();
          reports.push(`${previewOpenAt - savedAt} ms the preview is open`);
        }
        if (state && state !== last) reports.push(`${Date.now() - savedAt} ms ${state.event} ${path.basename(state.source ?? '').slice(0, 12)} ${state.audioBytes ?? '-'}`);
        last = state;
        const playsCopy = choice === 'original' || (state?.source ?? '').includes('/soundtracks/');
        if (savedAt && state && playsCopy && (state.audioBytes ?? 0) > 0) decodedAt = Date.now();
        return decodedAt > 0;
      }, 60_000).catch((error: Error) => {
        throw new Error(`${error.message} The page said: ${reports.join('; ') || 'nothing'}.`);
      });
      savedToSound[choice].push(decodedAt - savedAt);
      pageReports.push(`${choice}: ${reports.join('; ')}`);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.commands.executeCommand('wan.removeTask', record.taskId);
      // Every round's video has the same bytes: its copy must be gone before the next one, so that each is made anew.
      const copies = path.join(probe.globalStorageUri.fsPath, '..', WAN_ID, 'soundtracks');
      await waitFor('the copy to go with its task', () => !fs.existsSync(copies) || fs.readdirSync(copies).length === 0, 10_000);
    }
  }
  for (const [key] of [...settings, ['preview.soundtrack']]) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
  return { ...savedToSound, pageReports };
}

/** curl -F with the fields of a fresh policy (--form-string: the values as they are), then the file. */
async function curlUpload(baseUrl: string, file: string): Promise<number> {
  const url = `${baseUrl}/uploads?action=getPolicy&model=${UPLOAD_MODEL}`;
  const text = await new Promise<string>((resolve, reject) => {
    http.get(url, { headers: { authorization: 'Bearer sk-bench' } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(body));
      response.on('error', reject);
    }).on('error', reject);
  });
  const policy = (JSON.parse(text) as { data: Record<string, string> }).data;
  const fields: [string, string][] = [
    ['OSSAccessKeyId', policy.oss_access_key_id],
    ['Signature', policy.signature],
    ['policy', policy.policy],
    ['key', `${policy.upload_dir}/curl-${Date.now()}-clip.mp4`],
    ['x-oss-object-acl', policy.x_oss_object_acl],
    ['x-oss-forbid-overwrite', policy.x_oss_forbid_overwrite],
    ['success_action_status', '200'],
  ];
  const args = [...fields.flatMap(([name, value]) => ['--form-string', `${name}=${value}`]), '-F', `file=@${file}`];
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn('curl', ['--silent', '--show-error', '--output', '/dev/null', '--write-out', '%{http_code} %{time_total}', ...args, policy.upload_host]);
    let out = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', (error) => reject(new Error(`curl did not start (install Debian's curl): ${error.message}`)));
    child.on('exit', (code) => {
      const [status, seconds] = out.trim().split(' ');
      if (code === 0 && status === '200') resolve(Number(seconds) * 1000);
      else reject(new Error(`curl's upload failed (exit ${code}, HTTP ${status}): ${errors}`));
    });
  });
}

/** Random bytes written a chunk at a time, so the probe never holds the whole clip. */
function writeRandomFile(file: string, bytes: number): void {
  const fd = fs.openSync(file, 'w');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    for (let written = 0; written < bytes; written += chunk.length) fs.writeSync(fd, randomFillSync(chunk));
  } finally {
    fs.closeSync(fd);
  }
}

/** Debian's curl saving the file: its own measure of the transfer (start-up of the process left out). */
function curl(url: string, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn('curl', ['--silent', '--show-error', '--output', target, '--write-out', '%{time_total}', url]);
    let out = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('error', (error) => reject(new Error(`curl did not start (install Debian's curl): ${error.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim()) * 1000) : reject(new Error(`curl failed (exit ${code}): ${errors}`))));
  });
}

function receiveOnly(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    http.get(url, (response) => {
      response.on('data', () => undefined);
      response.on('end', () => resolve(performance.now() - started));
      response.on('error', reject);
    }).on('error', reject);
  });
}

function longPromptFile(lines: number): string {
  const out = ['# A long shot list for the benchmark.', '---', 'model: wan2.7-t2v', 'resolution: 720P', 'ratio: 16:9', 'duration: 5', '---', ''];
  for (let shot = 1; out.length < lines; shot++) {
    out.push(
      `### Shot ${shot}`,
      '# notes for the editor',
      '---',
      `seed: ${shot}`,
      // Every 50th shot asks for 20 s, which the model does not make: a problem to show.
      `duration: ${shot % 50 === 0 ? 20 : 5}`,
      '---',
      `A paper boat drifting down a rain gutter after storm number ${shot},`,
      'macro lens, soft morning light, droplets on the paper,',
      'the camera follows it slowly.',
      '',
    );
  }
  return out.slice(0, lines).join('\n');
}

/** globalState as an extension sees it, kept in memory. */
class MemoryMemento implements vscode.Memento {
  constructor(private readonly values: Record<string, unknown>) {}

  keys(): readonly string[] {
    return Object.keys(this.values);
  }

  get<T>(key: string, defaultValue?: T): T | undefined {
    return (this.values[key] as T | undefined) ?? defaultValue;
  }

  update(key: string, value: unknown): Thenable<void> {
    this.values[key] = value;
    return Promise.resolve();
  }

  setKeysForSync(): void {
    // Nothing syncs here.
  }
}

let gc: (() => void) | undefined;

/** A full collection before reading memory, so figures compare live objects rather than garbage. */
function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

/** JavaScript objects and the buffers they hold (network chunks are buffers outside the JS heap). */
function liveBytes(): number {
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
}

/** Linux keeps the process's peak resident size (VmHWM); writing 5 to clear_refs starts it again from now. */
function resetPeakMemory(): void {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed: the sampled peak stands alone.
  }
}

function peakMemory(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function timesOf(count: number, work: () => void): number[] {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return times;
}

function summary(values: number[]): { median: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.round((p / 100) * (sorted.length - 1)))];
  return { median: at(50), p95: at(95), max: sorted[sorted.length - 1] };
}

function benchDir(): string {
  const dir = process.env.WAN_BENCH_DIR;
  if (!dir) throw new Error('WAN_BENCH_DIR is not set: the probe runs only under the benchmark.');
  return dir;
}

async function waitFor(what: string, probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs / 1000} s waiting for ${what}.`);
    await sleep(50);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
