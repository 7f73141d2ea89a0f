// Choosing among takes: Compare Takes (a batch, several selected tasks, a prompt's latest videos), Keep, Discard the
// Others. The commands and the grid's serializer are registered at activation; the grid and the choices themselves
// load on first use (lazy bundle takes.js).
import * as vscode from 'vscode';
import { loadTakes } from '../bundles/loader';
import { Disposable, toDisposable } from '../common/lifecycle';
import type { Log } from '../common/log';
import type { CompareReport, CompareTakes } from '../preview/compareTakes';
import type { Soundtracks } from '../preview/soundtracks';
import { COMPARE_VIEW_TYPE } from '../preview/webviewMedia';
import type { TaskRecord } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import type { TakeChoices } from './takeChoices';
import { recordFromArg, type TaskTreeProvider } from './taskTree';

const BATCH_PREFIX = 'batch:';

export class TakeCommands extends Disposable {
  private loaded: { compare: CompareTakes; choices: TakeChoices } | undefined;

  constructor(
    private readonly store: TaskStore,
    private readonly tree: TaskTreeProvider,
    private readonly extensionUri: vscode.Uri,
    private readonly soundtracks: Soundtracks,
    private readonly log: Log,
  ) {
    super();
    this._register(vscode.commands.registerCommand('wan.compareTakes', (arg?: unknown, selected?: unknown) => this.compareTakes(arg, selected)));
    this._register(vscode.commands.registerCommand('wan.keepTake', (arg?: unknown) => {
      const record = recordFromArg(store, arg);
      return record ? this.takes().choices.keep(record) : undefined;
    }));
    this._register(vscode.commands.registerCommand('wan.discardOtherTakes', (arg?: unknown, takes?: unknown) => {
      const record = recordFromArg(store, arg);
      return record ? this.takes().choices.discardOthers(record, this.takesOf(takes, record)) : undefined;
    }));
    this._register(vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: (panel, state: unknown) => this.takes().compare.restore(panel, state as Parameters<CompareTakes['restore']>[1]),
    }));
    this._register(toDisposable(() => this.loaded?.compare.dispose()));
  }

  /** Whether an open Compare Takes grid shows this task (nothing is loaded when no grid was ever opened). */
  isCompared(taskId: string): boolean {
    return this.loaded?.compare.shows(taskId) ?? false;
  }

  /** The open grid's last report on its videos (for tests). */
  compareReport(): CompareReport | undefined {
    return this.loaded?.compare.report();
  }

  private takes(): { compare: CompareTakes; choices: TakeChoices } {
    if (!this.loaded) {
      const { CompareTakes, TakeChoices } = loadTakes();
      this.loaded = { compare: new CompareTakes(this.extensionUri, this.store, this.soundtracks), choices: new TakeChoices(this.store, this.log) };
    }
    return this.loaded;
  }

  /**
   * The takes to compare: a list of task ids (the lens), a batch, the tasks selected in the view (a menu passes the
   * clicked element, then the selection), or with no argument the view's selection.
   */
  private async compareTakes(arg: unknown, selected: unknown): Promise<boolean> {
    const ids = Array.isArray(selected) && selected.length > 1 ? selected : Array.isArray(arg) ? arg : arg === undefined ? [...this.tree.selection] : [arg];
    const taskIds = inTakeOrder([...new Set(ids.flatMap((id) => this.expand(id)))].map((id) => this.store.get(id)!)).map((r) => r.taskId);
    if (taskIds.length < 2) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Compare Takes needs two or more tasks: choose it on a batch, or select several tasks in the Tasks view.'));
      return false;
    }
    await this.takes().compare.show(taskIds);
    return true;
  }

  /** A batch stands for its tasks, oldest first (the order they were submitted). */
  private expand(id: unknown): string[] {
    if (typeof id === 'string' && id.startsWith(BATCH_PREFIX)) {
      return this.store.all().filter((r) => r.source.batch === id.slice(BATCH_PREFIX.length)).reverse().map((r) => r.taskId);
    }
    const record = recordFromArg(this.store, id);
    return record ? [record.taskId] : [];
  }

  /** The takes compared with `record`: the ids given, else its batch. */
  private takesOf(arg: unknown, record: TaskRecord): TaskRecord[] {
    const ids = Array.isArray(arg) ? arg : record.source.batch ? this.expand(BATCH_PREFIX + record.source.batch) : [record.taskId];
    return ids.map((id) => recordFromArg(this.store, id)).filter((r): r is TaskRecord => r !== undefined);
  }

}

/** Each prompt's takes together, in the order the prompts were first submitted, and by seed within a prompt. */
function inTakeOrder(records: TaskRecord[]): TaskRecord[] {
  const promptOf = (r: TaskRecord) => r.source.promptTitle ?? r.params.prompt;
  const first = new Map<string, number>();
  for (const r of [...records].sort((a, b) => a.createdAt - b.createdAt)) if (!first.has(promptOf(r))) first.set(promptOf(r), r.createdAt);
  return records.sort((a, b) => first.get(promptOf(a))! - first.get(promptOf(b))! || (a.params.seed ?? 0) - (b.params.seed ?? 0));
}
