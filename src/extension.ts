// Wires the extension together; each feature lives in its own module and owns its disposables.
import * as vscode from 'vscode';
import { AgentTools } from './agentTools/agentTools';
import { ApiKeys } from './vscode/apiKeys';
import { Generator } from './generate/generator';
import { closeNet, configureTranslations } from './bundles/loader';
import { PromptDiagnostics } from './promptLanguage/diagnostics';
import { PromptLanguage } from './promptLanguage/promptLanguage';
import { tagged } from './common/log';
import { SettingsCheck } from './vscode/settings';
import { TaskCommands } from './taskView/taskCommands';
import { TaskTracking } from './taskView/taskTracking';
import { TaskTreeProvider } from './taskView/taskTree';
import type { TaskRecord } from './tasks/taskRecord';
import { PendingCreates } from './tasks/pendingCreates';
import { TaskStore } from './tasks/taskStore';
import { UploadCache } from './tasks/uploadCache';
import { Soundtracks } from './preview/soundtracks';
import { VideoPreviews, type VideoState } from './preview/videoPreview';
import type { CompareReport } from './preview/compareTakes';
import { TakeCommands } from './taskView/takeCommands';
import { WanAccess } from './vscode/wanAccess';

/** What activate() returns: read-only views for tests and other extensions. */
export interface WanVideoApi {
  tasks(): readonly TaskRecord[];
  /** The item the Tasks view shows for a task, with the tooltip it shows on hover. */
  treeItem(taskId: string): vscode.TreeItem;
  /** The elements the Tasks view shows under `element` (the top level when absent): task ids and `batch:` groups. */
  treeChildren(element?: string): string[];
  /** The line above the tasks: what was spent today, this week and this month. */
  tasksViewMessage(): string | undefined;
  videoState(taskId: string): VideoState | undefined;
  isPreviewOpen(taskId: string): boolean;
  /** What the open Compare Takes grid last said about its videos. */
  compareReport(): CompareReport | undefined;
  /** The file the open preview of a task plays: the downloaded video, or its copy with the sound converted. */
  playedFile(taskId: string): string | undefined;
}

/** The creates on their way, which deactivation waits for. */
let pendingCreates: PendingCreates | undefined;

export function activate(context: vscode.ExtensionContext): WanVideoApi {
  configureTranslations();
  const own = <T extends vscode.Disposable>(disposable: T): T => {
    context.subscriptions.push(disposable);
    return disposable;
  };
  const log = own(vscode.window.createOutputChannel('Wan Video', { log: true }));
  const store = own(new TaskStore(context.globalState));
  own(new SettingsCheck());
  const keys = own(new ApiKeys(context.secrets));
  const access = new WanAccess(keys, log);
  const soundtracks = own(new Soundtracks(context.globalStorageUri, context.globalState, store, tagged(log, 'sound')));
  const previews = own(new VideoPreviews(context.extensionUri, store, soundtracks, tagged(log, 'preview')));
  const tree = own(new TaskTreeProvider(store));
  const takes = own(new TakeCommands(store, tree, context.extensionUri, soundtracks, tagged(log, 'takes')));
  const tracking = own(new TaskTracking(store, access, previews, takes, soundtracks, log, context.globalStorageUri));
  pendingCreates = new PendingCreates(context.globalState);
  const uploads = new UploadCache(context.globalState);
  const generator = own(new Generator({ store, pending: pendingCreates, poller: tracking, keys, access, log, uploadCache: uploads }));
  own(new TaskCommands({ store, tracking, previews, access, keys, log }));
  own(new PromptDiagnostics());
  own(new PromptLanguage(store));
  own(new AgentTools({ store, generator, log }));

  void tracking.resume();
  void generator.reportUnanswered();

  return {
    tasks: () => store.all(),
    treeItem: (taskId) => tree.resolveTreeItem(tree.getTreeItem(taskId), taskId),
    treeChildren: (element) => tree.getChildren(element),
    tasksViewMessage: () => tree.message,
    videoState: (taskId) => previews.videoState(taskId),
    isPreviewOpen: (taskId) => previews.isOpen(taskId),
    compareReport: () => takes.compareReport(),
    playedFile: (taskId) => previews.playedFile(taskId),
  };
}

export async function deactivate(): Promise<void> {
  // VS Code gives deactivate 5 s: a create on its way gets 4 of them to be answered and its task stored.
  await pendingCreates?.settle(4000);
  await closeNet();
}
