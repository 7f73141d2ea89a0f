// The commands that create tasks: from a selection, a prompt file, or again from an earlier task.
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';
import { loadGenerate, loadPromptParser } from '../bundles/loader';
import { parseDocument } from '../promptLanguage/promptDocuments';
import { recordFromArg } from '../taskView/taskTree';
import type { BatchOutcome } from '../tasks/createQueue';
import type { PendingCreates } from '../tasks/pendingCreates';
import type { TaskPoller } from '../tasks/taskPoller';
import type { TaskRecord } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import type { UploadCacheLike } from '../tasks/mediaTransport';
import type { ApiKeys } from '../vscode/apiKeys';
import { PromptError, showError } from '../vscode/errorMessages';
import type { WanAccess } from '../vscode/wanAccess';
import { confirmIfUntrusted, pickPromptFile, refuseIfProblems } from './dialogs';
import type { MediaCommands } from './mediaCommands';
import { promptLabel, sourceFor, type PlannedTask } from './planTasks';
import type { Submitter } from './submitter';

export interface GeneratorDeps {
  store: TaskStore;
  /** Notes of the creates on their way, for deactivation and the next start. */
  pending: PendingCreates;
  poller: Pick<TaskPoller, 'pollSoon'>;
  keys: ApiKeys;
  access: WanAccess;
  log: vscode.LogOutputChannel;
  /** Remembers uploads for their 48 h, so variations and batches do not upload the same file again. */
  uploadCache?: UploadCacheLike;
}

/** Owns the generate commands; what they submit goes through its Submitter, which loads on first use (generate.js). */
export class Generator extends Disposable {
  private loaded: { submitter: Submitter; media: MediaCommands } | undefined;

  constructor(private readonly deps: GeneratorDeps) {
    super();
    const command = (id: string, run: (...args: never[]) => unknown) => this._register(vscode.commands.registerCommand(id, run));
    command('wan.generateFromSelection', () => this.fromSelection());
    command('wan.generateFromFile', (uri?: vscode.Uri) => this.fromFile(uri));
    command('wan.generatePrompt', (uri: vscode.Uri, index: number) => this.fromPrompt(uri, index));
    command('wan.generateAll', (uri?: vscode.Uri) => this.allOfFile(uri));
    command('wan.stopBatch', () => this.stopBatches());
    command('wan.regenerate', (arg: unknown) => this.againFromArg(arg, false));
    command('wan.generateVariation', (arg: unknown) => this.againFromArg(arg, true));
    command('wan.generateFromImage', (...args: Parameters<MediaCommands['generateFromImage']>) => this.parts().media.generateFromImage(...args));
    command('wan.editVideo', (...args: Parameters<MediaCommands['editVideo']>) => this.parts().media.editVideo(...args));
    command('wan.openAsPromptFile', (...args: Parameters<MediaCommands['openAsPromptFile']>) => this.parts().media.openAsPromptFile(...args));
  }

  private get submitter(): Submitter {
    return this.parts().submitter;
  }

  private parts(): { submitter: Submitter; media: MediaCommands } {
    if (!this.loaded) {
      const { Submitter, MediaCommands } = loadGenerate();
      const submitter = this._register(new Submitter(this.deps));
      this.loaded = { submitter, media: new MediaCommands(submitter) };
    }
    return this.loaded;
  }

  /** The selection is the prompt and the settings give the parameters; submits at once. */
  async fromSelection(): Promise<TaskRecord | TaskRecord[] | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (editor && !editor.selection.isEmpty) {
      const selected = editor.document.getText(editor.selection).trim();
      if (!selected) {
        showError(new PromptError(vscode.l10n.t('The selection holds only white space: select the words that describe the video (up to {0} characters).', loadPromptParser().LIMITS.promptMax)), {
          action: vscode.l10n.t('The video was not submitted'),
        });
        return undefined;
      }
      const source = sourceFor(editor.document.uri, promptLabel(selected));
      return this.submitter.submitPrompt({}, selected, source, editor.document.uri);
    }
    if (editor?.document.languageId === 'wanprompt') return this.fromFile(editor.document.uri);
    return this.fromInputBox();
  }

  /** The whole file: one task as before, or a batch when it asks for several videos. */
  async fromFile(uri?: vscode.Uri): Promise<TaskRecord | TaskRecord[] | undefined> {
    const target = uri ?? (await pickPromptFile());
    if (!target) return undefined;
    const document = await vscode.workspace.openTextDocument(target);
    const file = parseDocument(document);
    if (!refuseIfProblems(document, file.problems.filter((p) => p.severity === 'error'))) return undefined;
    const count = loadPromptParser().videoCount(file);
    if (!(await confirmIfUntrusted(target, count))) return undefined;
    const records = await this.submitter.submitEntries(document, file, file.prompts);
    return count === 1 ? records?.[0] : records;
  }

  /** One prompt of a file (its CodeLens), with its variants. */
  async fromPrompt(uri: vscode.Uri, index: number): Promise<TaskRecord[] | undefined> {
    const document = await vscode.workspace.openTextDocument(uri);
    const file = parseDocument(document);
    const entry = file.prompts[index];
    if (!entry || !refuseIfProblems(document, loadPromptParser().blockingProblems(file, entry))) return undefined;
    if (!(await confirmIfUntrusted(uri, entry.seeds.length))) return undefined;
    return this.submitter.submitEntries(document, file, [entry]);
  }

  /** Every prompt and variation of a file, as one batch. */
  async allOfFile(uri?: vscode.Uri): Promise<TaskRecord[] | undefined> {
    const target = uri ?? (await pickPromptFile());
    if (!target) return undefined;
    const document = await vscode.workspace.openTextDocument(target);
    const file = parseDocument(document);
    if (!refuseIfProblems(document, file.problems.filter((p) => p.severity === 'error'))) return undefined;
    if (!(await confirmIfUntrusted(target, loadPromptParser().videoCount(file)))) return undefined;
    return this.submitter.submitEntries(document, file, file.prompts);
  }

  /** What an agent's videos will cost, and whether the budget or wan.confirmCostAbove refuses them (src/agentTools). */
  agentSpend(planned: PlannedTask[]): Promise<{ line: string; refusal?: string }> {
    return this.submitter.agentSpend(planned);
  }

  /** An agent's videos, after the user confirmed them in the tool's confirmation (src/agentTools). */
  submitForAgent(planned: PlannedTask[], signal: AbortSignal): Promise<BatchOutcome<PlannedTask, TaskRecord>> {
    return this.submitter.submitForAgent(planned, signal);
  }

  /** At activation: a create whose window closed before it was answered may have made and billed a task; say so. */
  async reportUnanswered(): Promise<void> {
    // Nothing to load at start-up while nothing is pending.
    if (this.deps.pending.left().length > 0) await this.submitter.reportUnanswered();
  }

  /** Stops every batch still submitting: what was not sent is not sent. */
  stopBatches(): number {
    return this.loaded?.submitter.stopBatches() ?? 0;
  }

  private againFromArg(arg: unknown, newSeed: boolean): Promise<TaskRecord | undefined> | undefined {
    const record = recordFromArg(this.deps.store, arg);
    return record && this.again(record, newSeed);
  }

  /** Regenerate repeats the task with its parameters and seed; a variation takes a new seed. */
  again(record: TaskRecord, newSeed: boolean): Promise<TaskRecord | undefined> {
    return this.submitter.again(record, newSeed);
  }

  private async fromInputBox(): Promise<TaskRecord | undefined> {
    const prompt = await vscode.window.showInputBox({
      title: vscode.l10n.t('Generate a video'),
      prompt: vscode.l10n.t('Describe the video (no text is selected in an editor). The settings give the parameters.'),
      ignoreFocusOut: true,
      validateInput: (value) => loadPromptParser().promptInputProblem(value),
    });
    if (!prompt?.trim()) return undefined;
    return this.submitter.submitPrompt({}, prompt.trim(), { kind: 'input', label: promptLabel(prompt) }, undefined);
  }
}
