// Compare Takes (lazy bundle takes.js): a webview with a task's takes side by side in a grid, played together
// (media/compare.js), to keep the best. Restored after a reload (takeCommands.ts registers the serializer); takes still
// running are placeholders that fill in as they land.
import * as vscode from 'vscode';
import { Disposable, toDisposable } from '../common/lifecycle';
import { attachComparePanel } from './comparePage';
import type { TaskStore } from '../tasks/taskStore';
import type { Soundtracks } from './soundtracks';
import { COMPARE_VIEW_TYPE } from './webviewMedia';

/** One tile as the page draws it. */
export interface TakeView {
  taskId: string;
  seed?: number;
  /** The parameters in which this take differs from the others, as `name value`. */
  differences: string[];
  /** The webview address of its video; absent while the take is still running (a placeholder) or discarded. */
  src?: string;
  status: string;
  active: boolean;
  kept: boolean;
  discarded: boolean;
  silentHere: boolean;
}

/** What the page keeps in its webview state (media/compare.js): the serializer reads the takes from it. */
export interface ComparePageState {
  taskIds: string[];
  page?: number;
  currentTime?: number;
  loop?: boolean;
}

/** What the page last said about its video elements: how many there are on the page, and how many can play. */
export interface CompareReport {
  /** The page shown (from 1), of how many, and the takes on it. */
  page: number;
  pages: number;
  shown: string[];
  videos: number;
  loaded: number;
  playing: boolean;
  currentTimes: number[];
}

export class CompareTakes extends Disposable {
  /** Open grids by their takes (sorted ids): comparing the same takes again brings that grid forward. */
  private readonly panels = new Map<string, { panel: vscode.WebviewPanel; taskIds: readonly string[] }>();
  private lastReport: CompareReport | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly store: TaskStore, private readonly soundtracks: Soundtracks) {
    super();
    this._register(toDisposable(() => {
      for (const { panel } of this.panels.values()) panel.dispose();
    }));
  }

  /** A grid VS Code reopens after a reload, from its page state. */
  async restore(panel: vscode.WebviewPanel, state: Partial<ComparePageState> | undefined): Promise<void> {
    const taskIds = Array.isArray(state?.taskIds) ? state.taskIds.filter((id) => this.store.get(id)) : [];
    if (taskIds.length === 0) {
      panel.dispose(); // the tasks are gone: nothing to restore
      return;
    }
    await this.attach(panel, taskIds);
  }

  /** Opens (or brings forward) the grid of these takes. */
  async show(taskIds: readonly string[]): Promise<void> {
    const existing = this.panels.get(keyOf(taskIds));
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, vscode.l10n.t('Compare {0} Takes', taskIds.length), vscode.ViewColumn.Active, {});
    await this.attach(panel, [...taskIds]);
  }

  /** Whether an open grid shows this take (it fills the take in as it lands). */
  shows(taskId: string): boolean {
    return [...this.panels.values()].some((grid) => grid.taskIds.includes(taskId));
  }

  /** The open grid's last report on its videos (for tests). */
  report(): CompareReport | undefined {
    return this.lastReport;
  }

  private async attach(panel: vscode.WebviewPanel, taskIds: string[]): Promise<void> {
    const key = keyOf(taskIds);
    this.panels.set(key, { panel, taskIds });
    await attachComparePanel(panel, taskIds, {
      extensionUri: this.extensionUri,
      store: this.store,
      soundtracks: this.soundtracks,
      onReport: (report: CompareReport) => (this.lastReport = report),
      onDispose: () => {
        this.panels.delete(key);
        this.lastReport = undefined;
      },
    });
  }
}

function keyOf(taskIds: readonly string[]): string {
  return [...taskIds].sort().join(' ');
}
