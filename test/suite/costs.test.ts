// What it costs: the estimate on the lenses, the cap's one question per batch, the daily budget's refusal, and the cost
// of a finished task, against the Wan-compatible test server (a custom endpoint: the Beijing list prices in CNY).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { spentToday } from '../../src/tasks/spending';
import { asUserReadsIt, openWorkspaceFile, servedExtension, writeWorkspaceFile } from './helpers';
import { takeScreenshot } from './screenshot';
import { waitFor } from './waitFor';

async function lensTitles(document: vscode.TextDocument): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
  return lenses.map((lens) => lens.command?.title ?? '');
}

describe('What it costs', function () {
  this.timeout(120_000);
  const served = servedExtension('wan-costs-');
  const config = () => vscode.workspace.getConfiguration('wan');

  afterEach(async () => {
    for (const key of ['budget.daily', 'confirmCostAbove']) await config().update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('puts the estimate on each prompt\'s lens and on Generate all', async () => {
    const { document } = await openWorkspaceFile('costs.wanprompt', '### Long\n---\nresolution: 1080P\nduration: 10\n---\nA boat at sea.\n### Short\n---\nvariants: 2\n---\nA cat asleep.\n');
    assert.deepEqual(await lensTitles(document), [
      '$(run-all) Generate all (3 videos) · ≈ ¥16.00',
      '$(play) Generate · 10 s 1080P · ≈ ¥10.00',
      '$(play) Generate 2 videos · 5 s 720P · ≈ ¥6.00',
    ]);
  });

  it('shows on duration what the prompt costs now and with one more second, and on resolution at the other tier', async () => {
    const { document } = await openWorkspaceFile('hover-costs.wanprompt', '---\nresolution: 720P\nduration: 10\n---\nA boat at sea.\n');
    const hover = async (line: number) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, 2));
      return asUserReadsIt(hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value)).join('\n'));
    };
    assert.match(await hover(2), /Cost of 1 video\(s\) on 127\.0\.0\.1:\d+\*: now ≈ ¥6\.00 · 11 s: ≈ ¥6\.60/);
    assert.match(await hover(1), /now ≈ ¥6\.00 · at 1080P: ≈ ¥10\.00/);
  });

  it('asks once before a batch over wan.confirmCostAbove, listing what will be made, and submits nothing without a yes', async () => {
    served.server.requests.length = 0;
    const uri = await writeWorkspaceFile('costly-batch.wanprompt', '---\nresolution: 1080P\nduration: 9\nvariants: 12\n---\nA storm over the harbour.\n');
    // A test run refuses modal dialogs and the refusal carries the dialog's text: the question was asked, for all twelve.
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('wan.generateAll', uri)),
      /Submit 12 videos for ≈ ¥108\.00\?/,
    );
    assert.equal(served.server.requestsTo('create').length, 0, 'nothing was submitted');
    assert.equal(served.api.tasks().filter((t) => t.source.uri === uri.toString()).length, 0);
  });

  it('refuses what would pass wan.budget.daily, saying how much is left and how to change it', async () => {
    served.server.requests.length = 0;
    // What the other suites spent today counts too: the budget leaves ¥5.00 of today.
    const spent = spentToday(served.api.tasks(), 'CNY', Date.now());
    await config().update('budget.daily', { CNY: spent + 5 }, vscode.ConfigurationTarget.Global);
    const uri = await writeWorkspaceFile('over-budget.wanprompt', '---\nresolution: 1080P\nduration: 10\n---\nA lighthouse in the rain.\n');
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('wan.generateFromFile', uri)),
      new RegExp(`Not submitted: this would cost ≈ ¥10\\.00, and your daily budget of ¥${(spent + 5).toFixed(2)} has ¥5\\.00 left today \\(¥${spent.toFixed(2)} spent or running\\)\\. To allow more, raise wan\\.budget\\.daily`),
    );
    assert.equal(served.server.requestsTo('create').length, 0, 'nothing was submitted');
  });

  it('shows what a finished task cost in its tooltip and sidecar, and today\'s spending in the Tasks view', async () => {
    const uri = await writeWorkspaceFile('cheap.wanprompt', '---\nresolution: 720P\nduration: 2\n---\nA leaf falling.\n');
    const record = await vscode.commands.executeCommand<TaskRecord | undefined>('wan.generateFromFile', uri);
    assert.ok(record, 'under the cap: no question');
    assert.equal(record.price?.source, 'Alibaba Cloud Model Studio price list (Beijing)');
    assert.deepEqual(record.estimate, { low: 1.2, high: 1.2 });
    const done = await waitFor('the video on disk', () => {
      const current = served.api.tasks().find((t) => t.taskId === record.taskId);
      return current?.download.state === 'done' ? current : undefined;
    }, 60_000);
    const tooltip = asUserReadsIt((served.api.treeItem(record.taskId).tooltip as vscode.MarkdownString).value);
    assert.match(tooltip, /Cost:\*\* ¥1\.20 \(2 s × ¥0\.6\/s; Alibaba Cloud Model Studio price list \(Beijing\), 2026-12-01, list price\)/);
    const sidecar = JSON.parse(fs.readFileSync((done.download as { path: string }).path.replace(/\.mp4$/, '.json'), 'utf8'));
    assert.equal(sidecar.cost.amount, 1.2);
    assert.equal(sidecar.cost.price.currency, 'CNY');
    assert.match(served.api.tasksViewMessage() ?? '', /^Spending ¥\d+\.\d\d today · ¥\d+\.\d\d this week · ¥\d+\.\d\d this month$/);
    const page = await vscode.commands.executeCommand<string>('wan.showSpending');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await takeScreenshot('cost-show-spending');
    assert.match(page, new RegExp(`^\\| ${new URL(served.server.baseUrl).host.replace(/\./g, '\\.')} \\(CNY\\) \\| ¥\\d+\\.\\d\\d`, 'm'));
  });
});
