// The "Tasks" view: one item per task, its status, and the actions that fit it; a batch's tasks under one item for their file.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../common/lifecycle';
import { formatElapsed, statusLabel, usageLabel } from '../tasks/taskLabels';
import { shortened } from '../common/text';
import { costLabel, spendingSummary, spendingTotals } from '../tasks/spending';
import { elapsedOf, hasVideo, isActive, type RecordStatus, type TaskRecord } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';

/** Tree elements are task ids, and `batch:<id>` for the tasks submitted together: items are rebuilt from the store, never stale. */
type TaskId = string;

/** The view's id in package.json. */
const TASKS_VIEW = 'wan.tasks';

const BATCH_PREFIX = 'batch:';

function batchElement(record: TaskRecord): TaskId | undefined {
  return record.source.batch ? BATCH_PREFIX + record.source.batch : undefined;
}

/** Resolves a command argument (a tree element, or a task id given by a test or another command). */
export function recordFromArg(store: TaskStore, arg: unknown): TaskRecord | undefined {
  if (typeof arg === 'string') return store.get(arg);
  if (arg && typeof arg === 'object' && 'taskId' in arg && typeof arg.taskId === 'string') return store.get(arg.taskId);
  return undefined;
}

const ICONS: Record<RecordStatus, [string, string?]> = {
  PENDING: ['clock'],
  RUNNING: ['loading~spin'],
  SUSPENDED: ['debug-pause'],
  SUCCEEDED: ['pass-filled', 'testing.iconPassed'],
  FAILED: ['error', 'testing.iconFailed'],
  CANCELED: ['circle-slash'],
  UNKNOWN: ['question'],
  EXPIRED: ['history'],
};

/** The take chosen in Compare Takes: a star; the ones discarded: a trash can. */
const KEPT_ICON: [string, string] = ['star-full', 'charts.yellow'];
const DISCARDED_ICON: [string] = ['trash'];

/** `task:<status>[:downloaded|:downloadable|:discarded]`, matched by the menus in package.json. */
export function contextValueOf(record: TaskRecord): string {
  let value = `task:${record.status.toLowerCase()}`;
  if (record.choice === 'discarded') value += ':discarded';
  else if (record.download.state === 'done') value += ':downloaded';
  else if (record.status === 'SUCCEEDED' && record.download.state !== 'downloading') value += ':downloadable';
  return value;
}

export class TaskTreeProvider extends Disposable implements vscode.TreeDataProvider<TaskId> {
  private readonly changed = this._register(new vscode.EventEmitter<TaskId | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<TaskId>;
  /** Ticks only while some task is active, to keep elapsed times current. */
  private ticker: NodeJS.Timeout | undefined;

  /** The ids the view last asked for: a change to any other task (a new one) must refresh the root. */
  private shown = new Set<TaskId>();

  constructor(private readonly store: TaskStore) {
    super();
    this.view = this._register(vscode.window.createTreeView(TASKS_VIEW, { treeDataProvider: this, showCollapseAll: false, canSelectMany: true }));
    this._register(store.onDidChange((record) => {
      // A task of a batch changes its group's counts too: refresh the group, which refreshes its tasks.
      const element = record && (batchElement(record) ?? record.taskId);
      this.changed.fire(element && this.shown.has(element) ? element : undefined);
      this.updateActive();
      this.updateSpending();
    }));
    this._register(toDisposable(() => clearInterval(this.ticker)));
    this.updateActive();
    this.updateSpending();
  }

  /** The line above the tasks (Show Spending has the detail). */
  get message(): string | undefined {
    return this.view.message;
  }

  /**
   * What was spent today, this week and this month on this machine (running tasks at their estimate), as the view's message: VS Code hides a view's
   * description while the view is alone in its sidebar, as the Tasks view is (microsoft/vscode#166000).
   */
  private updateSpending(): void {
    const summary = spendingSummary(spendingTotals(this.store.all(), Date.now()));
    const message = summary && vscode.l10n.t('Spending {0}', summary);
    if (this.view.message !== message) this.view.message = message;
  }

  /** The elements selected in the view (Compare Takes from the palette compares them). */
  get selection(): readonly TaskId[] {
    return this.view.selection;
  }

  /** The badge counts the active tasks; the ticker runs while there are any. */
  private updateActive(): void {
    const active = this.store.all().filter(isActive).length;
    this.view.badge = active > 0 ? { value: active, tooltip: vscode.l10n.t('{0} active video tasks', active) } : undefined;
    if (active > 0 && !this.ticker) {
      this.ticker = setInterval(() => {
        for (const record of this.store.all()) if (isActive(record)) this.changed.fire(record.taskId);
      }, 10_000);
    } else if (active === 0 && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  /** Newest first; the tasks of a batch under one item for their file, in the order they were submitted. */
  getChildren(element?: TaskId): TaskId[] {
    if (element?.startsWith(BATCH_PREFIX)) {
      const ids = this.batchTasks(element).reverse().map((record) => record.taskId);
      for (const id of ids) this.shown.add(id);
      return ids;
    }
    if (element) return [];
    const ids = [...new Set(this.store.all().map((record) => batchElement(record) ?? record.taskId))];
    this.shown = new Set(ids);
    return ids;
  }

  getParent(element: TaskId): TaskId | undefined {
    const record = this.store.get(element);
    return record && batchElement(record);
  }

  getTreeItem(taskId: TaskId): vscode.TreeItem {
    if (taskId.startsWith(BATCH_PREFIX)) return this.batchItem(taskId);
    const record = this.store.get(taskId);
    if (!record) return new vscode.TreeItem(taskId);
    // A prompt of a prompt file goes by its title; its variations by their seeds.
    const title = record.source.promptTitle;
    const item = new vscode.TreeItem(title ? vscode.l10n.t('{0} · seed {1}', title, record.params.seed ?? '?') : shortened(record.params.prompt, 60));
    item.id = taskId;
    const { resolution, ratio, duration } = record.params;
    // A field the task did not send (Wan 3.0 leaves ratio to the service) is left out.
    item.description = [
      statusLabel(record), formatElapsed(elapsedOf(record, Date.now())), resolution, ratio, duration === undefined ? undefined : vscode.l10n.t('{0}s', duration),
      record.source.agentTool ? vscode.l10n.t('by an agent') : undefined,
    ].filter((part) => part !== undefined).join(' · ');
    const [icon, color] = record.choice === 'kept' ? KEPT_ICON : record.choice === 'discarded' ? DISCARDED_ICON : ICONS[record.status];
    item.iconPath = new vscode.ThemeIcon(
      record.status === 'SUCCEEDED' && record.download.state === 'downloading' ? 'sync~spin' : icon,
      color ? new vscode.ThemeColor(color) : undefined,
    );
    item.contextValue = contextValueOf(record);
    if (hasVideo(record)) {
      item.command = { command: 'wan.openPreview', title: vscode.l10n.t('Open Video Preview'), arguments: [taskId] };
    }
    return item;
  }

  /** The tooltip is built when the user hovers the item: building it for every item would be most of the view's cost. */
  resolveTreeItem(item: vscode.TreeItem, taskId: TaskId): vscode.TreeItem {
    const record = taskId.startsWith(BATCH_PREFIX) ? undefined : this.store.get(taskId);
    if (record) item.tooltip = tooltipOf(record);
    return item;
  }

  /** Newest first, as the store lists them. */
  private batchTasks(element: TaskId): TaskRecord[] {
    return this.store.all().filter((record) => batchElement(record) === element);
  }

  private batchItem(element: TaskId): vscode.TreeItem {
    const tasks = this.batchTasks(element);
    const first = tasks[tasks.length - 1];
    const file = first?.source.uri ? vscode.Uri.parse(first.source.uri) : undefined;
    const item = new vscode.TreeItem(file ? path.basename(file.path) : vscode.l10n.t('Batch'), vscode.TreeItemCollapsibleState.Expanded);
    item.id = element;
    const ready = tasks.filter(hasVideo).length;
    const active = tasks.filter(isActive).length;
    const failed = tasks.filter((r) => r.status === 'FAILED').length;
    const parts = [vscode.l10n.t('{0} of {1} ready', ready, tasks.length)];
    if (active > 0) parts.push(vscode.l10n.t('{0} in progress', active));
    if (failed > 0) parts.push(vscode.l10n.t('{0} failed', failed));
    if (first) parts.push(new Date(first.createdAt).toLocaleTimeString());
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon(active > 0 ? 'loading~spin' : 'files');
    item.tooltip = file ? vscode.l10n.t('Submitted together from {0}', vscode.workspace.asRelativePath(file)) : undefined;
    item.contextValue = 'batch';
    return item;
  }
}

/** Everything about the task; the prompt is appended as text, so markup in it is never rendered. */
function tooltipOf(record: TaskRecord): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  appendPlainText(md, record.params.prompt);
  md.appendMarkdown('\n\n---\n\n');
  const p = record.params;
  const rows: [string, string | number | boolean | undefined][] = [
    [vscode.l10n.t('Status'), statusLabel(record)],
    [vscode.l10n.t('Made by'), record.source.agentTool ? vscode.l10n.t('an agent, through the {0} tool, after you confirmed it', record.source.agentTool) : undefined],
    [vscode.l10n.t('Model'), p.model],
    [vscode.l10n.t('Parameters'), [
      p.resolution, p.ratio, p.duration === undefined ? undefined : vscode.l10n.t('{0}s', p.duration),
      p.promptExtend === undefined ? undefined : `prompt_extend ${p.promptExtend}`, p.watermark === undefined ? undefined : `watermark ${p.watermark}`,
      p.audio === undefined ? undefined : `audio ${p.audio}`,
    ].filter((part) => part !== undefined).join(' · ')],
    [vscode.l10n.t('Duration'), usageLabel(record.usage)],
    [vscode.l10n.t('Cost'), costLabel(record)],
    [vscode.l10n.t('Seed'), p.seed],
    [vscode.l10n.t('Negative prompt'), p.negativePrompt],
    [vscode.l10n.t('Inputs'), (record.media ?? p.media)?.map((item) => `${item.type} ${item.source}`).join(', ')],
    [vscode.l10n.t('Task ID'), record.taskId],
    [vscode.l10n.t('Request ID'), record.requestId],
    [vscode.l10n.t('Endpoint'), new URL(record.baseUrl).host],
    [vscode.l10n.t('Created'), new Date(record.createdAt).toLocaleString()],
    [vscode.l10n.t('Finished'), record.finishedAt ? new Date(record.finishedAt).toLocaleString() : undefined],
    [vscode.l10n.t('Error code'), record.code],
    [vscode.l10n.t('Message'), record.message],
    [vscode.l10n.t('Last problem'), record.lastError],
    [vscode.l10n.t('Download'), record.download.state === 'failed' ? record.download.error : undefined],
    [vscode.l10n.t('File'), record.download.state === 'done' ? record.download.path : undefined],
  ];
  for (const [name, value] of rows) {
    if (value === undefined || value === '') continue;
    md.appendMarkdown(`**${name}:** `);
    appendPlainText(md, String(value));
    md.appendMarkdown('  \n');
  }
  return md;
}

/**
 * appendText escapes Markdown but leaves `<`, and the renderer strips what looks like an HTML tag:
 * escaping it too keeps a prompt such as `<b>bold</b> cat` whole and inert.
 */
function appendPlainText(md: vscode.MarkdownString, text: string): void {
  md.appendMarkdown(new vscode.MarkdownString().appendText(text).value.replace(/</g, '&lt;'));
}
