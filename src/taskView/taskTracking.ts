// Follows every task to its end: one poller, a download at once on success, and word to the user.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../common/lifecycle';
import { tagged, type Log } from '../common/log';
import { showError } from '../vscode/errorMessages';
import { loadNet, loadPromptParser } from '../bundles/loader';
import { openPreviewOnSuccess, outputFolderFor } from '../vscode/settings';
import type { TaskLeases } from '../tasks/taskLeases';
import type { TaskPoller } from '../tasks/taskPoller';
import { isActive, needsDownload, type TaskRecord } from '../tasks/taskRecord';
import { runningEstimate } from '../tasks/spending';
import type { TaskStore } from '../tasks/taskStore';
import type { VideoKeeper } from '../tasks/videoKeeper';
import type { Soundtracks } from '../preview/soundtracks';
import type { VideoPreviews } from '../preview/videoPreview';
import type { TakeCommands } from './takeCommands';
import type { WanAccess } from '../vscode/wanAccess';
import { classifyServiceCode, WanError } from '../wan/errors';
import { failureReason } from '../wan/task';

/** A window polls a task for this long per claim; each query extends it. */
const POLL_LEASE_MS = 2 * 60_000;
const DOWNLOAD_LEASE_MS = 2 * 60_000;
/** How often a window looks at what other windows wrote, while tasks are active. */
const SYNC_INTERVAL_MS = 5000;

export class TaskTracking extends Disposable {
  private pollerInstance?: TaskPoller;
  private keeperInstance?: VideoKeeper;
  private leasesInstance?: TaskLeases;
  private readonly statusBar = this._register(vscode.window.createStatusBarItem('wan.activeTasks', vscode.StatusBarAlignment.Left, 50));
  /** Batches already reported in this window. */
  private readonly reportedBatches = new Set<string>();

  constructor(
    private readonly store: TaskStore,
    private readonly access: WanAccess,
    private readonly previews: VideoPreviews,
    private readonly grids: Pick<TakeCommands, 'isCompared'>,
    private readonly soundtracks: Soundtracks,
    private readonly log: Log,
    private readonly globalStorage: vscode.Uri,
  ) {
    super();
    this.statusBar.name = vscode.l10n.t('Wan Video tasks');
    this.statusBar.command = 'wan.tasks.focus';
    // What another window saves is watched here too, and taken over if that window closes.
    const sync = setInterval(() => {
      if (this.activeCount() > 0) this.keeper.keepChanged(store.syncFromStorage());
    }, SYNC_INTERVAL_MS);
    this._register(toDisposable(() => clearInterval(sync)));
    this._register(store.onDidChange(() => this.updateStatusBar()));
    // Coming back to this window: show what the others did meanwhile.
    this._register(vscode.window.onDidChangeWindowState((state) => {
      if (!state.focused) return;
      const changed = store.syncFromStorage();
      if (changed.length > 0) this.keeper.keepChanged(changed);
    }));
    this.updateStatusBar();
  }

  /** The poller lives in the network bundle: made when there is a task to follow, not at activation. */
  get poller(): TaskPoller {
    const { store, access, log } = this;
    this.pollerInstance ??= this._register(new (loadNet().TaskPoller)({
      store,
      claim: (taskId) => this.leases.claim(taskId, 'poll', POLL_LEASE_MS),
      queryTask: async (record, signal) => (await access.clientForRecord(record)).getTask(record.taskId, signal),
      listTasks: async (record, window, signal) => {
        const client = await access.clientForRecord(record);
        const query = { startTime: new Date(window.startTime), endTime: new Date(window.endTime), pageNo: 1, pageSize: window.pageSize };
        return (await client.listTasks(query, signal)).tasks;
      },
      onFinished: (record) => this.onFinished(record),
      log: tagged(log, 'poller'),
    }));
    return this.pollerInstance;
  }

  get keeper(): VideoKeeper {
    const { store, access, log, globalStorage } = this;
    this.keeperInstance ??= this._register(new (loadNet().VideoKeeper)({
      store,
      download: (url, target, signal) => loadNet().downloadVideo(url, target, { signal }),
      requery: async (record, signal) => (await access.clientForRecord(record)).getTask(record.taskId, signal),
      folderFor: (record) => outputFolderFor(record.source, globalStorage),
      requestOf: (params) => loadPromptParser().toCreateBody(params),
      onSaved: (record) => void this.onSaved(record),
      onFailed: (record, message) => void this.onDownloadFailed(record, message),
      claim: (taskId) => this.leases.claim(taskId, 'download', DOWNLOAD_LEASE_MS),
      release: (taskId) => this.leases.release(taskId, 'download'),
      log: tagged(log, 'download'),
    }));
    return this.keeperInstance;
  }

  /** Lets a newly created task be asked about soon. */
  pollSoon(taskId: string, delayMs?: number): void {
    this.poller.pollSoon(taskId, delayMs);
  }

  /** Several windows share the task list; leases let one of them at a time poll or download each task. */
  private get leases(): TaskLeases {
    this.leasesInstance ??= new (loadNet().TaskLeases)(vscode.Uri.joinPath(this.globalStorage, 'leases').fsPath);
    return this.leasesInstance;
  }

  /** After activation: resume polling unfinished tasks and fetch videos left undownloaded (nothing is loaded when none). */
  resume(): void {
    const records = this.store.all();
    if (records.some(isActive)) this.poller.resumeAll();
    if (records.some(needsDownload)) this.keeper.keepAllPending();
  }

  private activeCount(): number {
    return this.store.all().filter(isActive).length;
  }

  private updateStatusBar(): void {
    const active = this.activeCount();
    if (active === 0) {
      this.statusBar.hide();
      return;
    }
    this.statusBar.text = `$(loading~spin) ${vscode.l10n.t('Wan: {0} active', active)}`;
    const estimate = runningEstimate(this.store.all());
    // "3 running · ≈ ¥9.00"
    this.statusBar.tooltip = estimate
      ? vscode.l10n.t('{0} queued or running · {1}. Click to show them.', active, estimate)
      : vscode.l10n.t('{0} video tasks queued or running. Click to show them.', active);
    this.statusBar.show();
  }

  private onFinished(record: TaskRecord): void {
    if (record.status === 'SUCCEEDED') {
      void this.keeper.keep(record.taskId);
      return;
    }
    // A batch speaks once, when all its tasks are settled, instead of once per task.
    if (record.source.batch) {
      void this.reportBatchIfSettled(record.source.batch);
      return;
    }
    switch (record.status) {
      case 'FAILED': {
        const reason = failureReason({ taskId: record.taskId, status: 'FAILED', code: record.code, message: record.message, raw: undefined });
        const classified = classifyServiceCode(record.code);
        // The reason already ends with the advice: an empty one keeps the message from saying it twice.
        showError(new WanError({ kind: classified.kind, message: reason, code: record.code, advice: '' }), {
          action: vscode.l10n.t('Video task "{0}" failed', record.source.label),
          promptUri: record.source.uri ? vscode.Uri.parse(record.source.uri) : undefined,
        });
        break;
      }
      case 'UNKNOWN':
        void vscode.window.showWarningMessage(vscode.l10n.t('The service no longer knows the task "{0}": it expired (tasks are kept 24 hours) or never existed.', record.source.label));
        break;
    }
  }

  private async onSaved(record: TaskRecord): Promise<void> {
    if (record.download.state !== 'done') return;
    this.soundtracks.prepare(record); // before the preview opens, which then plays the copy once it is ready
    if (record.source.batch) {
      await this.reportBatchIfSettled(record.source.batch);
      return;
    }
    if (this.opensPreview(record)) await this.previews.show(record);
    const preview = vscode.l10n.t('Preview');
    const reveal = vscode.l10n.t('Reveal');
    const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Video ready: {0}', record.source.label), preview, reveal);
    if (choice === preview) await this.previews.show(record);
    else if (choice === reveal) await vscode.commands.executeCommand('wan.revealVideo', record.taskId);
  }

  /** wan.openPreviewOnSuccess, except over an open Compare Takes grid that shows the take: the grid fills it in instead. */
  private opensPreview(record: TaskRecord): boolean {
    return openPreviewOnSuccess() && !this.grids.isCompared(record.taskId);
  }

  /** One notification for a whole batch, once every task of it has ended and every video is saved or has failed. */
  private async reportBatchIfSettled(batch: string): Promise<void> {
    const tasks = this.store.all().filter((r) => r.source.batch === batch);
    const settled = (r: TaskRecord) => !isActive(r) && (r.status !== 'SUCCEEDED' || r.download.state === 'done' || r.download.state === 'failed');
    if (tasks.length === 0 || !tasks.every(settled) || this.reportedBatches.has(batch)) return;
    this.reportedBatches.add(batch);
    const saved = tasks.filter((r) => r.download.state === 'done');
    const latest = saved.sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))[0];
    const name = tasks[0].source.label;
    if (latest && this.opensPreview(latest)) await this.previews.show(latest);
    const show = vscode.l10n.t('Show Tasks');
    const text = saved.length === tasks.length
      ? vscode.l10n.t('All {0} videos of "{1}" are ready.', tasks.length, name)
      : vscode.l10n.t('{0} of {1} videos of "{2}" are ready; the others failed or were cancelled (their reasons are in the Tasks view).', saved.length, tasks.length, name);
    const choice = await (saved.length === tasks.length ? vscode.window.showInformationMessage(text, show) : vscode.window.showWarningMessage(text, show));
    if (choice === show) await vscode.commands.executeCommand('wan.tasks.focus');
  }

  private async onDownloadFailed(record: TaskRecord, message: string): Promise<void> {
    if (record.source.batch) {
      await this.reportBatchIfSettled(record.source.batch);
      return;
    }
    const retry = vscode.l10n.t('Retry Download');
    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('The video of "{0}" could not be saved: {1} The link stays valid for 24 hours; retry from the Tasks view.', record.source.label, message),
      retry,
    );
    if (choice === retry) await this.keeper.keep(record.taskId);
  }
}
