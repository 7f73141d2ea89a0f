// Lenses in a prompt file: generate all of it, generate one prompt, and the status of a prompt's latest videos.
import * as vscode from 'vscode';
import { loadPromptParser } from '../bundles/loader';
import { Disposable } from '../common/lifecycle';
import type { PromptEntry } from '../prompt/promptFile';
import { formatElapsed, statusLabel } from '../tasks/taskLabels';
import { elapsedOf, hasVideo, isActive, type TaskRecord } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import { codeLensEnabled, onDidChangeSettings, SETTINGS } from '../vscode/settings';
import { costContext, estimateEntries } from './costEstimates';
import { parseDocument, rangeOf } from './promptDocuments';

export class PromptCodeLenses extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly store: TaskStore) {
    super();
    this._register(store.onDidChange((record) => {
      if (!record || record.source.kind === 'file') this.changed.fire();
    }));
    // The estimates follow the endpoint, the prices and the generation defaults.
    this._register(onDidChangeSettings(Object.values(SETTINGS), () => this.changed.fire()));
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!codeLensEnabled()) return [];
    const parser = loadPromptParser();
    const file = parseDocument(document);
    const lenses: vscode.CodeLens[] = [];
    const total = parser.videoCount(file);
    const costs = costContext();
    // "· 5 s 720P · ≈ ¥3.00" above a prompt whose videos share a length and resolution; "· ≈ ¥108.00" for the whole file.
    const costOf = (entries: PromptEntry[], withLength: boolean) => {
      if (!costs) return '';
      const estimate = estimateEntries(entries, costs);
      const [line, ...others] = estimate.lines;
      const length = withLength && line && others.length === 0 ? ` · ${parser.lengthLabel(line.seconds, line.tier)}` : '';
      return `${length} · ${parser.estimateLabel(estimate)}`;
    };
    if (file.prompts.length > 1 || total > 1) {
      const top = new vscode.Range(0, 0, 0, 0);
      const ready = file.prompts.filter((entry) => parser.blockingProblems(file, entry).length === 0);
      lenses.push(new vscode.CodeLens(top, {
        title: `$(run-all) ${vscode.l10n.t('Generate all ({0} videos)', total)}${costOf(ready, false)}`,
        tooltip: vscode.l10n.t('Submit every prompt of this file, {0} paid tasks in all, paced within the service\'s limit', total),
        command: 'wan.generateAll',
        arguments: [document.uri],
      }));
    }
    const records = this.store.all().filter((r) => r.source.uri === document.uri.toString());
    for (const entry of file.prompts) {
      const line = rangeOf(document, entry.header?.start ?? entry.promptStart, entry.header?.start ?? entry.promptStart);
      const problems = parser.blockingProblems(file, entry);
      if (problems.length > 0) {
        lenses.push(new vscode.CodeLens(line, {
          title: `$(error) ${vscode.l10n.t('Fix {0} problem(s) to generate', problems.length)}`,
          command: 'workbench.actions.view.problems',
        }));
      } else {
        const count = entry.seeds.length;
        lenses.push(new vscode.CodeLens(line, {
          title: `$(play) ${count > 1 ? vscode.l10n.t('Generate {0} videos', count) : vscode.l10n.t('Generate')}${costOf([entry], true)}`,
          tooltip: vscode.l10n.t('Submit this prompt ({0} paid task(s))', count),
          command: 'wan.generatePrompt',
          arguments: [document.uri, entry.index],
        }));
      }
      const latest = latestSubmission(records, entry);
      const status = statusLens(line, latest);
      if (status) lenses.push(status);
      // Once two takes have their video, choosing among them is the next step (those still running join as placeholders).
      if (latest.filter(hasVideo).length >= 2) {
        lenses.push(new vscode.CodeLens(line, {
          title: `$(layout) ${vscode.l10n.t('Compare {0} takes', latest.length)}`,
          tooltip: vscode.l10n.t('Play the takes side by side and keep the best'),
          command: 'wan.compareTakes',
          arguments: [latest.map((r) => r.taskId).reverse()],
        }));
      }
    }
    return lenses;
  }
}

/** The tasks of this prompt from its most recent submission, newest first (the store lists newest first). */
function latestSubmission(records: TaskRecord[], entry: PromptEntry): TaskRecord[] {
  const mine = records.filter((r) => (entry.title ? r.source.promptTitle === entry.title : r.source.promptTitle === undefined && r.params.prompt === entry.prompt));
  const latest = mine[0];
  if (!latest) return [];
  return latest.source.batch ? mine.filter((r) => r.source.batch === latest.source.batch) : [latest];
}

function statusLens(range: vscode.Range, tasks: TaskRecord[]): vscode.CodeLens | undefined {
  const latest = tasks[0];
  if (!latest) return undefined;
  const downloaded = tasks.find(hasVideo);
  const command = downloaded
    ? { command: 'wan.openPreview', arguments: [downloaded.taskId] }
    : { command: 'wan.tasks.focus', arguments: [] };
  let title: string;
  if (tasks.length > 1) {
    const active = tasks.filter(isActive).length;
    const ready = tasks.filter(hasVideo).length;
    title = active > 0
      ? `$(loading~spin) ${vscode.l10n.t('{0} of {1} videos ready, {2} in progress', ready, tasks.length, active)}`
      : `$(play-circle) ${vscode.l10n.t('{0} of {1} videos ready', ready, tasks.length)}`;
  } else if (downloaded) {
    title = `$(play-circle) ${vscode.l10n.t('Open latest video ({0} ago)', formatElapsed(Date.now() - (downloaded.finishedAt ?? downloaded.createdAt)))}`;
  } else {
    const icon = isActive(latest) ? '$(loading~spin)' : latest.status === 'FAILED' ? '$(error)' : '$(info)';
    title = `${icon} ${statusLabel(latest)} · ${formatElapsed(elapsedOf(latest, Date.now()))}${latest.code ? ` · ${latest.code}` : ''}`;
  }
  return new vscode.CodeLens(range, {
    title,
    tooltip: downloaded ? vscode.l10n.t('Open the latest video of this prompt') : vscode.l10n.t('Show the task in the Tasks view'),
    ...command,
  });
}
