// Commands on tasks from the tree, the palette and the preview: cancel, preview, reveal, remove, keys.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { describeEndpoint, type ApiKeys } from '../vscode/apiKeys';
import { showError } from '../vscode/errorMessages';
import { readEndpoint } from '../vscode/settings';
import type { TaskTracking } from './taskTracking';
import { recordFromArg } from './taskTree';
import { loadPromptParser } from '../bundles/loader';
import { isActive, tasksToClear, type TaskRecord } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import type { VideoPreviews } from '../preview/videoPreview';
import type { WanAccess } from '../vscode/wanAccess';
import { WanError } from '../wan/errors';

export interface TaskCommandDeps {
  store: TaskStore;
  tracking: TaskTracking;
  previews: VideoPreviews;
  access: WanAccess;
  keys: ApiKeys;
  log: vscode.LogOutputChannel;
}

export class TaskCommands extends Disposable {
  constructor(deps: TaskCommandDeps) {
    super();
    const { store, tracking, previews, keys, log } = deps;
    const register: typeof vscode.commands.registerCommand = (command, handler) => this._register(vscode.commands.registerCommand(command, handler));
    const withRecord = (action: (record: TaskRecord) => unknown) => (arg: unknown) => {
      const record = recordFromArg(store, arg);
      return record ? action(record) : undefined;
    };
    register('wan.cancelTask', withRecord((record) => cancelTask(deps, record)));
    register('wan.openPreview', async (arg?: unknown) => {
      const record = arg === undefined ? await pickDownloaded(store) : recordFromArg(store, arg);
      if (record) await previews.show(record);
    });
    register('wan.downloadVideo', withRecord((record) => tracking.keeper.keep(record.taskId)));
    register('wan.revealVideo', withRecord(revealVideo));
    register('wan.copyTaskId', withRecord(async (record) => {
      await vscode.env.clipboard.writeText(record.taskId);
      void vscode.window.setStatusBarMessage(vscode.l10n.t('Task ID copied: {0}', record.taskId), 3000);
    }));
    register('wan.removeTask', withRecord((record) => removeTasks(deps, [record])));
    register('wan.clearFinished', () => clearFinished(deps));
    register('wan.refreshTasks', () => tracking.poller.refreshAll());
    const spending = new SpendingPage();
    this._register(vscode.workspace.registerTextDocumentContentProvider(SpendingPage.uri.scheme, spending));
    this._register(spending);
    register('wan.showSpending', () => spending.show(loadPromptParser().spendingReport(store.all(), Date.now())));
    // A key given as argument (from a script or keybinding) is stored without asking.
    register('wan.setApiKey', async (key?: unknown) => {
      try {
        const endpoint = readEndpoint();
        const given = typeof key === 'string' && key.trim() ? key.trim() : undefined;
        if (given) await keys.set(endpoint, given);
        if (given || (await keys.ask(endpoint))) {
          log.info(`API key set for ${describeEndpoint(endpoint)}`);
          void vscode.window.showInformationMessage(vscode.l10n.t('API key saved for {0}.', describeEndpoint(endpoint)));
          return true;
        }
        return false;
      } catch (error) {
        showError(error, { action: vscode.l10n.t('The API key was not saved') });
        return false;
      }
    });
    register('wan.clearApiKey', async () => {
      try {
        const endpoint = readEndpoint();
        await keys.delete(endpoint);
        log.info(`API key cleared for ${describeEndpoint(endpoint)}`);
        void vscode.window.showInformationMessage(vscode.l10n.t('API key removed for {0}.', describeEndpoint(endpoint)));
      } catch (error) {
        showError(error, { action: vscode.l10n.t('The API key was not removed') });
      }
    });
    register('wan.showLog', () => log.show());
  }
}

async function cancelTask(deps: TaskCommandDeps, record: TaskRecord): Promise<boolean> {
  if (record.status === 'RUNNING') {
    void vscode.window.showWarningMessage(vscode.l10n.t('The service can cancel only queued tasks: "{0}" is already running and will finish (and be billed).', record.source.label));
    return false;
  }
  if (record.status !== 'PENDING') return false;
  try {
    const client = await deps.access.clientForRecord(record);
    await client.cancelTask(record.taskId);
    deps.log.info(`task ${record.taskId}: cancel accepted`);
    await deps.store.update(record.taskId, { status: 'CANCELED', finishedAt: Date.now() });
    return true;
  } catch (error) {
    if (error instanceof WanError && error.status === 400) {
      // UnsupportedOperation: it started running in the meantime.
      void vscode.window.showWarningMessage(vscode.l10n.t('The task "{0}" could not be cancelled: it has already started running.', record.source.label));
      deps.tracking.poller.pollSoon(record.taskId);
      return false;
    }
    showError(error, { action: vscode.l10n.t('The task was not cancelled') });
    return false;
  }
}

async function revealVideo(record: TaskRecord): Promise<void> {
  if (record.download.state !== 'done') return;
  const uri = vscode.Uri.file(record.download.path);
  // The OS file manager exists only where VS Code runs on the desktop.
  if (vscode.env.uiKind === vscode.UIKind.Desktop) await vscode.commands.executeCommand('revealFileInOS', uri);
  else await vscode.commands.executeCommand('revealInExplorer', uri);
}

async function removeTasks(deps: TaskCommandDeps, records: TaskRecord[]): Promise<void> {
  if (records.length === 0) return;
  const active = records.filter(isActive);
  if (active.length > 0) {
    const remove = vscode.l10n.t('Remove');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('"{0}" is still queued or running on the service. Removing it stops tracking here: its video will not be saved.', active[0].source.label),
      { modal: true },
      remove,
    );
    if (choice !== remove) return;
  }
  for (const record of records) deps.tracking.poller.forget(record.taskId);
  await deps.store.remove(records.map((r) => r.taskId));
  deps.log.info(`removed ${records.length} task(s) from the list; video files are kept`);
}

async function clearFinished(deps: TaskCommandDeps): Promise<void> {
  const { clear, keep } = tasksToClear(deps.store.all());
  await removeTasks(deps, clear);
  if (keep.length === 0) return;
  void vscode.window.showInformationMessage(vscode.l10n.t(
    'Cleared {0} finished tasks. Kept {1} whose video is not saved yet (downloading or failed): use Download Video on them, or remove them one by one.',
    clear.length,
    keep.length,
  ));
}

async function pickDownloaded(store: TaskStore): Promise<TaskRecord | undefined> {
  const downloaded = store.all().filter((r) => r.download.state === 'done');
  if (downloaded.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No video has been downloaded yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    downloaded.map((record) => ({
      label: record.source.label,
      description: record.download.state === 'done' ? path.basename(record.download.path) : '',
      record,
    })),
    { title: vscode.l10n.t('Open Video Preview') },
  );
  return picked?.record;
}

/** Show Spending's page: a read-only Markdown document (nothing to save when it closes), shown in the preview. */
class SpendingPage implements vscode.TextDocumentContentProvider, vscode.Disposable {
  static readonly uri = vscode.Uri.from({ scheme: 'wan-spending', path: '/Wan Video spending.md' });
  private text = '';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(): string {
    return this.text;
  }

  /** Shows `text` (Markdown) and returns it (for tests). */
  async show(text: string): Promise<string> {
    this.text = text;
    this.changed.fire(SpendingPage.uri);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', SpendingPage.uri);
    } catch {
      await vscode.window.showTextDocument(SpendingPage.uri);
    }
    return text;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
