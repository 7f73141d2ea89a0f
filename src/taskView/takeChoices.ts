// Keep and Discard the Others (lazy bundle takes.js): what a choice among takes does to their records, sidecars and files.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Log } from '../common/log';
import { hasVideo, type TaskRecord } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import { markSidecarKept, sidecarPath } from '../tasks/sidecar';
import { showError } from '../vscode/errorMessages';
import { keptFolderFor } from '../vscode/settings';

/** Where Discard the Others moves the takes when VS Code cannot use the trash, beside their videos. */
const DISCARDED_FOLDER = 'discarded';

export class TakeChoices {
  constructor(private readonly store: TaskStore, private readonly log: Log) {}

  /** A star in the tree, `"kept": true` in the sidecar, and a copy in (or a move to) wan.keptFolder when set. */
  async keep(record: TaskRecord): Promise<boolean> {
    if (!hasVideo(record) || record.download.state !== 'done') return false;
    if (record.choice === 'kept') return true;
    try {
      let videoPath = record.download.path;
      await markSidecarKept(videoPath).catch((error: unknown) => this.log.warn(`task ${record.taskId}: the sidecar was not marked kept (${String(error)})`));
      const kept = keptFolderFor(record.source);
      if (kept) {
        const target = await freeName(kept.folder, path.basename(videoPath));
        await vscode.workspace.fs.createDirectory(vscode.Uri.file(kept.folder));
        const transfer = (from: vscode.Uri, to: vscode.Uri) => (kept.move ? vscode.workspace.fs.rename(from, to) : vscode.workspace.fs.copy(from, to));
        await transfer(vscode.Uri.file(videoPath), vscode.Uri.file(target));
        if (await exists(sidecarPath(videoPath))) await transfer(vscode.Uri.file(sidecarPath(videoPath)), vscode.Uri.file(sidecarPath(target)));
        this.log.info(`task ${record.taskId}: kept, ${kept.move ? 'moved' : 'copied'} to ${target}`);
        if (kept.move) videoPath = target;
      }
      await this.store.update(record.taskId, { choice: 'kept', download: { ...record.download, path: videoPath } });
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Kept "{0}"', path.basename(videoPath)), 4000);
      return true;
    } catch (error) {
      showError(error, { action: vscode.l10n.t('The take was not kept') });
      return false;
    }
  }

  /**
   * Keeps `kept` and, after a confirmation that lists them, moves the other takes' videos and sidecars to the trash;
   * their tasks stay, marked discarded. Where VS Code has no trash (a remote or browser window), nothing is deleted:
   * it offers to move them into a `discarded` folder beside them instead.
   */
  async discardOthers(kept: TaskRecord, takes: readonly TaskRecord[]): Promise<number> {
    const others = takes.filter((r) => r.taskId !== kept.taskId && hasVideo(r));
    if (others.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There is no other take to discard.'));
      return 0;
    }
    const discard = vscode.l10n.t('Move to Trash');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Keep "{0}" and move the other {1} takes to the trash?', nameOf(kept), others.length),
      { modal: true, detail: vscode.l10n.t('Their videos and sidecars go to the trash; their tasks stay in the list, marked discarded:\n{0}', others.map((r) => `• ${nameOf(r)}`).join('\n')) },
      discard,
    );
    if (choice !== discard) return 0;
    await this.keep(kept);
    let discarded = 0;
    for (const [i, record] of others.entries()) {
      try {
        for (const file of filesOf(record)) if (await exists(file)) await vscode.workspace.fs.delete(vscode.Uri.file(file), { useTrash: true });
      } catch (error) {
        this.log.warn(`task ${record.taskId}: the trash refused its files (${String(error)})`);
        return discarded + await this.offerDiscardedFolder(others.slice(i), error);
      }
      await this.store.update(record.taskId, { choice: 'discarded' });
      discarded++;
    }
    this.log.info(`discarded ${discarded} take(s) to the trash`);
    return discarded;
  }

  /** VS Code refused the trash: says so, deletes nothing, and offers a folder of discarded takes instead. */
  private async offerDiscardedFolder(records: readonly TaskRecord[], error: unknown): Promise<number> {
    const folder = path.join(path.dirname(filesOf(records[0])[0]), DISCARDED_FOLDER);
    const move = vscode.l10n.t('Move to "{0}"', DISCARDED_FOLDER);
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('VS Code cannot move files to the trash here ({0}). Nothing was deleted: {1} take(s) are still in place. Move them into the folder {2} instead?',
        error instanceof Error ? error.message : String(error), records.length, vscode.workspace.asRelativePath(folder)),
      move,
    );
    if (choice !== move) return 0;
    try {
      await vscode.workspace.fs.createDirectory(vscode.Uri.file(folder));
      for (const record of records) {
        const [video, sidecar] = filesOf(record);
        const target = await freeName(folder, path.basename(video));
        await vscode.workspace.fs.rename(vscode.Uri.file(video), vscode.Uri.file(target), { overwrite: false });
        if (await exists(sidecar)) await vscode.workspace.fs.rename(vscode.Uri.file(sidecar), vscode.Uri.file(sidecarPath(target)), { overwrite: false });
        if (record.download.state === 'done') await this.store.update(record.taskId, { choice: 'discarded', download: { ...record.download, path: target } });
      }
      this.log.info(`moved ${records.length} discarded take(s) to ${folder}`);
      return records.length;
    } catch (moveError) {
      showError(moveError, { action: vscode.l10n.t('The takes were not moved') });
      return 0;
    }
  }
}

function nameOf(record: TaskRecord): string {
  return record.download.state === 'done' ? path.basename(record.download.path) : record.source.label;
}

/** The video and its sidecar. */
function filesOf(record: TaskRecord): [string, string] {
  const video = record.download.state === 'done' ? record.download.path : '';
  return [video, sidecarPath(video)];
}

async function exists(file: string): Promise<boolean> {
  return vscode.workspace.fs.stat(vscode.Uri.file(file)).then(() => true, () => false);
}

/** `name` in `folder`, or `name-2`, `name-3`… when that video or its sidecar is taken: nothing is overwritten. */
async function freeName(folder: string, name: string): Promise<string> {
  const base = name.replace(/\.mp4$/i, '');
  for (let n = 1; ; n++) {
    const candidate = path.join(folder, `${base}${n === 1 ? '' : `-${n}`}.mp4`);
    if (!(await exists(candidate)) && !(await exists(sidecarPath(candidate)))) return candidate;
  }
}
