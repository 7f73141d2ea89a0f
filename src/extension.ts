// Wires the extension together; each feature lives in its own module and owns its disposables.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { ApiKeys } from './vscode/apiKeys';
import { Generator } from './generate/generator';
import { closeNet, shareTranslations } from './bundles/loader';
import { PromptDiagnostics } from './promptLanguage/diagnostics';
import { PromptLanguage } from './promptLanguage/promptLanguage';
import { showError } from './vscode/errorMessages';
import { readDefaults, readEndpoint } from './vscode/settings';
import { registerTaskCommands } from './taskView/taskCommands';
import { TaskTracking } from './taskView/taskTracking';
import { TaskTreeProvider } from './taskView/taskTree';
import type { TaskRecord } from './tasks/taskRecord';
import { PendingCreates } from './tasks/pendingCreates';
import { TaskStore } from './tasks/taskStore';
import { VideoPreviews, type VideoState } from './preview/videoPreview';
import { WanAccess } from './vscode/wanAccess';

/** What activate() returns: read-only views for tests and other extensions. */
export interface WanVideoApi {
  tasks(): readonly TaskRecord[];
  /** The item the Tasks view shows for a task, with the tooltip it shows on hover. */
  treeItem(taskId: string): vscode.TreeItem;
  /** The elements the Tasks view shows under `element` (the top level when absent): task ids and `batch:` groups. */
  treeChildren(element?: string): string[];
  videoState(taskId: string): VideoState | undefined;
  isPreviewOpen(taskId: string): boolean;
}

/** The creates on their way, which deactivation waits for. */
let pendingCreates: PendingCreates | undefined;

export function activate(context: vscode.ExtensionContext): WanVideoApi {
  shareTranslations(l10n.config);
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  const log = own(vscode.window.createOutputChannel('Wan Video', { log: true }));
  const store = new TaskStore(context.globalState);
  own({ dispose: () => store.dispose() });
  const keys = own(new ApiKeys(context.secrets));
  const access = new WanAccess(keys, log);
  const previews = own(new VideoPreviews(context.extensionUri, store, log));
  const tracking = own(new TaskTracking(store, access, previews, log, context.globalStorageUri));
  pendingCreates = new PendingCreates(context.globalState);
  const generator = own(new Generator({ store, pending: pendingCreates, poller: tracking.poller, keys, access, log }));
  own(new PromptDiagnostics());
  own(new PromptLanguage(store));

  const tree = own(new TaskTreeProvider(store));
  const view = own(vscode.window.createTreeView('wan.tasks', { treeDataProvider: tree, showCollapseAll: false }));
  const updateBadge = () => {
    const active = tracking.activeCount();
    view.badge = active > 0 ? { value: active, tooltip: vscode.l10n.t('{0} active video tasks', active) } : undefined;
  };
  own(store.onDidChange(updateBadge));
  updateBadge();

  for (const command of registerTaskCommands({ store, tracking, previews, access, keys, log })) own(command);

  const updateKeyContext = async () => {
    let hasKey = false;
    try {
      hasKey = Boolean(await keys.get(readEndpoint()));
    } catch {
      // A bad endpoint setting or an unusable keyring: the welcome view offers to set the key.
    }
    await vscode.commands.executeCommand('setContext', 'wan.hasApiKey', hasKey);
  };
  own(keys.onDidChange(updateKeyContext));
  own(vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('wan')) return;
    if (e.affectsConfiguration('wan.endpoint') || e.affectsConfiguration('wan.baseUrl')) void updateKeyContext();
    try {
      // Say at once when an edited setting breaks a rule, not at the next generate.
      readEndpoint();
      readDefaults();
    } catch (error) {
      showError(error, { action: vscode.l10n.t('A Wan Video setting is invalid') });
    }
  }));
  void updateKeyContext();
  void tracking.resume();
  void generator.reportUnanswered();

  return {
    tasks: () => store.all(),
    treeItem: (taskId) => tree.resolveTreeItem(tree.getTreeItem(taskId), taskId),
    treeChildren: (element) => tree.getChildren(element),
    videoState: (taskId) => previews.videoState(taskId),
    isPreviewOpen: (taskId) => previews.isOpen(taskId),
  };
}

export async function deactivate(): Promise<void> {
  // VS Code gives deactivate 5 s: a create on its way gets 4 of them to be answered and its task stored.
  await pendingCreates?.settle(4000);
  await closeNet();
}
