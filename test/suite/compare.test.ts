// Compare Takes inside a real VS Code: the grid's videos load, placeholders fill in, Keep and Discard the Others
// change the records, sidecars and files. (A test run refuses modal dialogs: the discard itself runs in test/e2e.)
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { openWorkspaceFile, servedExtension } from './helpers';
import { takeScreenshot } from './screenshot';
import { waitFor } from './waitFor';

const THREE_TAKES = '### Lantern\n---\nseed: 40\nvariants: 3\nduration: 3\n---\nA paper lantern drifting over a river at night.\n';

describe('Compare Takes: a batch side by side, keep one, discard the others', function () {
  this.timeout(120_000);
  const served = servedExtension('wan-compare-');
  let takes: TaskRecord[];
  const current = (id: string) => served.api.tasks().find((t) => t.taskId === id)!;
  const videoOf = (record: TaskRecord) => (record.download.state === 'done' ? record.download.path : '');

  before(async () => {
    const { document } = await openWorkspaceFile('lantern.wanprompt', THREE_TAKES);
    takes = await vscode.commands.executeCommand<TaskRecord[]>('wan.generateAll', document.uri);
    assert.equal(takes.length, 3);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens on a batch at once: takes still running are placeholders, and every one becomes a video that loads', async () => {
    assert.ok(await vscode.commands.executeCommand<boolean>('wan.compareTakes', `batch:${takes[0].source.batch}`));
    const report = await waitFor('three video elements that can play', () => {
      const r = served.api.compareReport();
      return r && r.videos === 3 && r.loaded === 3 ? r : undefined;
    }, 60_000);
    assert.equal(report.playing, false);
    assert.ok(takes.every((t) => current(t.taskId).download.state === 'done'));
    await takeScreenshot('compare-three-takes');
  });

  it('offers "Compare 3 takes" above the prompt once two of its videos are saved, and opens the same grid', async () => {
    await waitFor('the videos on disk', () => takes.every((t) => current(t.taskId).download.state === 'done'));
    const { document } = await openWorkspaceFile('lantern.wanprompt', THREE_TAKES);
    const lens = await waitFor('the Compare lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
      return lenses.find((l) => l.command?.title.includes('Compare 3 takes'));
    });
    assert.equal(lens.command?.command, 'wan.compareTakes');
    await vscode.commands.executeCommand(lens.command!.command, ...(lens.command!.arguments ?? []));
    await waitFor('three loaded videos', () => served.api.compareReport()?.loaded === 3);
  });

  it('compares exactly the tasks selected in the Tasks view (a menu passes the clicked one, then the selection)', async () => {
    const [first, second] = takes;
    assert.ok(await vscode.commands.executeCommand<boolean>('wan.compareTakes', first.taskId, [first.taskId, second.taskId]));
    await waitFor('two loaded videos', () => served.api.compareReport()?.loaded === 2 && served.api.compareReport()?.videos === 2);
    // One task alone is not a comparison: it says what to do instead.
    assert.equal(await vscode.commands.executeCommand<boolean>('wan.compareTakes', first.taskId, [first.taskId]), false);
  });

  it('Keep stars the take, writes "kept": true into its sidecar, and copies it to wan.keptFolder', async () => {
    const keptFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'wan-kept-'));
    await vscode.workspace.getConfiguration('wan').update('keptFolder', keptFolder, vscode.ConfigurationTarget.Global);
    try {
      const take = current(takes[1].taskId);
      assert.ok(await vscode.commands.executeCommand<boolean>('wan.keepTake', take.taskId));
      const kept = current(take.taskId);
      assert.equal(kept.choice, 'kept');
      assert.equal(videoOf(kept), videoOf(take), 'copied: the video stays where it was too');
      assert.equal((served.api.treeItem(take.taskId).iconPath as vscode.ThemeIcon).id, 'star-full');
      const sidecar = JSON.parse(fs.readFileSync(videoOf(take).replace(/\.mp4$/, '.json'), 'utf8'));
      assert.equal(sidecar.kept, true);
      assert.equal(sidecar.taskId, take.taskId, 'the rest of the sidecar is kept');
      const copy = path.join(keptFolder, path.basename(videoOf(take)));
      assert.ok(fs.readFileSync(copy).equals(fs.readFileSync(videoOf(take))), 'the copy is the video');
      assert.equal(JSON.parse(fs.readFileSync(copy.replace(/\.mp4$/, '.json'), 'utf8')).kept, true);
    } finally {
      await vscode.workspace.getConfiguration('wan').update('keptFolder', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(keptFolder, { recursive: true, force: true });
    }
  });

  it('eleven takes: the first page shows 9 videos that load, and the pager counts two pages', async () => {
    const { document } = await openWorkspaceFile('lanterns.wanprompt', THREE_TAKES.replace('variants: 3', 'variants: 11').replace('seed: 40', 'seed: 100'));
    const eleven = await vscode.commands.executeCommand<TaskRecord[]>('wan.generateAll', document.uri);
    assert.equal(eleven.length, 11);
    assert.ok(await vscode.commands.executeCommand<boolean>('wan.compareTakes', `batch:${eleven[0].source.batch}`));
    const report = await waitFor('nine loaded videos on page 1 of 2', () => {
      const r = served.api.compareReport();
      return r && r.loaded === 9 && eleven.every((t) => current(t.taskId).download.state === 'done') ? r : undefined;
    }, 90_000);
    assert.deepEqual([report.videos, report.page, report.pages], [9, 1, 2]);
    assert.deepEqual(report.shown.map((id) => current(id).params.seed), [100, 101, 102, 103, 104, 105, 106, 107, 108], 'the first nine, by seed');
  });

  // The refusal carries the dialog's message, not its detail: the list of takes in it is checked in test/e2e (flow 9).
  it('Discard the Others asks first, and without a yes changes nothing', async () => {
    const [first, kept, third] = takes.map((t) => current(t.taskId));
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('wan.discardOtherTakes', kept.taskId, takes.map((t) => t.taskId))),
      (error: Error) => {
        assert.ok(error.message.includes(`Keep "${path.basename(videoOf(kept))}" and move the other 2 takes to the trash?`), error.message);
        return true;
      },
    );
    for (const other of [first, third]) {
      assert.equal(current(other.taskId).choice, undefined);
      assert.ok(fs.existsSync(videoOf(other)) && fs.existsSync(videoOf(other).replace(/\.mp4$/, '.json')));
    }
  });
});
