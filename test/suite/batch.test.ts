// Generate all: a whole prompt file against the Wan-compatible test server, paced, cancellable, every video once.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WanVideoApi } from '../../src/extension';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { WanTestServer } from '../server/wanServer';
import { EXTENSION_ID, openWorkspaceFile, TEST_API_KEY as KEY } from './helpers';
import { takeScreenshot } from './screenshot';
import { waitFor } from './waitFor';

/** The most requests the service received within any one second. */
function mostInAnySecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j] <= sorted[i] - 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** `count` prompts; every fifth asks for three variations counting up from its own seed. */
function storyboard(count: number, withVariants: boolean): string {
  const prompts = Array.from({ length: count }, (_, i) => {
    const settings = withVariants && i % 5 === 0 ? `---\nseed: ${1000 + i * 10}\nvariants: 3\n---\n` : '';
    return `### Shot ${i + 1}\n${settings}A paper lantern drifting over a river at night, shot ${i + 1}.\n`;
  });
  return `# ${count} shots for the river sequence\n---\nduration: 3\n---\n\n${prompts.join('\n')}`;
}

describe('Generate all: a batch from one prompt file', function () {
  this.timeout(240_000);
  let server: WanTestServer;
  let api: WanVideoApi;
  let outputFolder: string;
  const config = () => vscode.workspace.getConfiguration('wan');
  const settings: [string, unknown][] = [];

  async function set(key: string, value: unknown): Promise<void> {
    settings.push([key, value]);
    await config().update(key, value, vscode.ConfigurationTarget.Global);
  }

  function downloadsPerTask(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const request of server.requestsTo('download')) {
      const id = decodeURIComponent(/\/results\/([^/]+)\.mp4/.exec(request.path)?.[1] ?? '');
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  async function allSaved(records: TaskRecord[]): Promise<TaskRecord[]> {
    return waitFor(`${records.length} videos on disk`, () => {
      const current = records.map((r) => api.tasks().find((t) => t.taskId === r.taskId));
      return current.every((t) => t?.download.state === 'done') ? (current as TaskRecord[]) : undefined;
    }, 180_000);
  }

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
    server.defaultScript = { pendingMs: 300, runningMs: 600 };
    outputFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-batch-'));
    await set('baseUrl', server.baseUrl);
    await set('endpoint', 'custom');
    await set('outputFolder', outputFolder);
    await set('openPreviewOnSuccess', false);
    // These batches cost more than the ¥20 that asks first (28 × 3 s at ¥0.6); a test run refuses the question.
    await set('confirmCostAbove', { CNY: null });
    const extension = vscode.extensions.getExtension<WanVideoApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    await vscode.commands.executeCommand('wan.setApiKey', KEY);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.close();
    for (const [key] of settings.reverse()) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(outputFolder, { recursive: true, force: true });
  });

  beforeEach(() => {
    server.requests.length = 0;
  });

  it('submits 20 prompts and their variations, at most 5 creates in any second, and every video lands once', async () => {
    await set('openPreviewOnSuccess', true);
    const { uri } = (await openWorkspaceFile('river.wanprompt', storyboard(20, true))).document;
    const records = await vscode.commands.executeCommand<TaskRecord[]>('wan.generateAll', uri);
    assert.equal(records.length, 28, '16 prompts once, 4 prompts three times');

    const creates = server.requestsTo('create');
    assert.equal(creates.length, 28);
    const most = mostInAnySecond(creates.map((r) => r.at));
    console.log(`      28 creates over ${((creates[27].at - creates[0].at) / 1000).toFixed(1)} s, at most ${most} in any second`);
    assert.ok(most <= 5, `creates at ${creates.map((r) => r.at - creates[0].at).join(', ')} ms`);
    const bodies = creates.map((r) => r.json as { input: { prompt: string }; parameters: { seed: number; duration: number } });
    assert.deepEqual(bodies.filter((b) => b.input.prompt.endsWith('shot 6.')).map((b) => b.parameters.seed).sort(), [1050, 1051, 1052]);
    assert.ok(bodies.every((b) => b.parameters.duration === 3), 'the file\'s front matter applies to every prompt');
    assert.equal(new Set(bodies.map((b) => b.input.prompt)).size, 20);

    // One group in the Tasks view, named after the file, holding exactly the batch's tasks.
    const batch = records[0].source.batch;
    assert.ok(batch && records.every((r) => r.source.batch === batch));
    assert.ok(api.treeChildren().includes(`batch:${batch}`));
    assert.deepEqual(new Set(api.treeChildren(`batch:${batch}`)), new Set(records.map((r) => r.taskId)));
    assert.equal(api.treeItem(`batch:${batch}`).label, 'river.wanprompt');
    const variation = records.find((r) => r.params.seed === 1051);
    assert.equal(variation?.source.promptTitle, 'Shot 6');
    assert.equal(api.treeItem(variation.taskId).label, 'Shot 6 · seed 1051');
    await vscode.commands.executeCommand('wan.tasks.focus');
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the view renders
    await takeScreenshot('h4-batch-submitted');

    const saved = await allSaved(records);
    const paths = saved.map((r) => (r.download.state === 'done' ? r.download.path : ''));
    assert.equal(new Set(paths).size, 28, 'each video has a file of its own');
    const files = fs.readdirSync(outputFolder);
    assert.equal(files.filter((f) => f.endsWith('.mp4')).length, 28);
    assert.equal(files.filter((f) => f.endsWith('.json')).length, 28);
    for (const file of paths) assert.ok(fs.readFileSync(file).equals(server.video), `${file} is the service's video`);
    const downloads = downloadsPerTask();
    assert.deepEqual(records.map((r) => downloads.get(r.taskId)), Array(28).fill(1), 'each video was downloaded once');
    assert.match(String(api.treeItem(`batch:${batch}`).description), /^28 of 28 ready/);
    // The batch speaks once: one preview (of its latest video), not 28.
    const start = Date.now();
    while (!records.some((r) => api.isPreviewOpen(r.taskId)) && Date.now() - start < 10_000) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(records.filter((r) => api.isPreviewOpen(r.taskId)).length, 1);
    await set('openPreviewOnSuccess', false);
    await vscode.commands.executeCommand('wan.tasks.focus');
    await vscode.commands.executeCommand('notifications.clearAll');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await takeScreenshot('h4-batch-done');
  });

  it('stops an unfinished batch: what was sent is kept, what was not is never sent', async () => {
    const { uri } = (await openWorkspaceFile('stopped.wanprompt', storyboard(20, false))).document;
    const result = vscode.commands.executeCommand<TaskRecord[]>('wan.generateAll', uri);
    await waitFor('the first creates', () => server.requestsTo('create').length >= 6);
    assert.equal(await vscode.commands.executeCommand<number>('wan.stopBatch'), 1);
    const records = await result;

    const sent = server.requestsTo('create').length;
    assert.ok(sent < 20, `only ${sent} of 20 were sent`);
    assert.equal(records.length, sent, 'every create that was sent was answered and kept');
    const batch = records[0].source.batch;
    assert.equal(api.tasks().filter((t) => t.source.batch === batch).length, sent);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(server.requestsTo('create').length, sent, 'nothing more was sent after the stop');

    await allSaved(records);
    const downloads = downloadsPerTask();
    assert.deepEqual(records.map((r) => downloads.get(r.taskId)), Array(sent).fill(1));
  });
});
