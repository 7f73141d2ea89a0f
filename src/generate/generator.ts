// The commands that create tasks: from a selection, a prompt file, or again from an earlier task.
import { randomInt } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { tagged } from '../common/log';
import type { ApiKeys } from '../vscode/apiKeys';
import { errorText, PromptError, showError } from '../vscode/errorMessages';
import { loadPromptParser } from '../bundles/loader';
import type { PromptEntry, PromptFile, PromptFileProblem } from '../prompt/promptFile';
import { parseDocument, promptName } from '../promptLanguage/promptDocuments';
import { readDefaults, readEndpoint, type Endpoint } from '../vscode/settings';
import { recordFromArg } from '../taskView/taskTree';
import { CreateQueue, submitBatch, type BatchOutcome } from '../tasks/createQueue';
import { createWithRetry, keepCreated } from '../tasks/createTask';
import { RepeatGuard, submissionKey } from '../tasks/repeatGuard';
import { findLeftTasks, type PendingCreates } from '../tasks/pendingCreates';
import type { TaskPoller } from '../tasks/taskPoller';
import type { TaskRecord, TaskSource } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import type { WanAccess } from '../vscode/wanAccess';
import type { WanClient } from '../wan/client';
import { WanError } from '../wan/errors';
import { defaultsForModel, LIMITS, promptInputProblem, validateParams, type GenerationParams, type ParamField } from '../wan/params';
import type { WanTask } from '../wan/task';

/** The service seldom finishes a task in under a few seconds: the first query waits that long. */
const FIRST_POLL_MS = 4000;


export interface GeneratorDeps {
  store: TaskStore;
  /** Notes of the creates on their way, for deactivation and the next start. */
  pending: PendingCreates;
  poller: TaskPoller;
  keys: ApiKeys;
  access: WanAccess;
  log: vscode.LogOutputChannel;
}

/** The button a submission came from: another button is a deliberate request, the same one twice a double-click. */
type SubmitAction = 'generate' | 'regenerate' | 'variation';

/** One task of a batch, checked and ready to send. */
interface PlannedTask {
  params: GenerationParams;
  source: TaskSource;
}

export class Generator {
  /** Every create goes through it, single or batch: at most 5 per second, as the service allows per account. */
  private readonly queue = new CreateQueue();
  /** The batches still submitting, for Stop Submitting. */
  private readonly batches = new Set<AbortController>();
  private readonly repeats = new RepeatGuard();

  constructor(private readonly deps: GeneratorDeps) {}

  registerCommands(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('wan.generateFromSelection', () => this.fromSelection()),
      vscode.commands.registerCommand('wan.generateFromFile', (uri?: vscode.Uri) => this.fromFile(uri)),
      vscode.commands.registerCommand('wan.generatePrompt', (uri: vscode.Uri, index: number) => this.fromPrompt(uri, index)),
      vscode.commands.registerCommand('wan.generateAll', (uri?: vscode.Uri) => this.allOfFile(uri)),
      vscode.commands.registerCommand('wan.stopBatch', () => this.stopBatches()),
      vscode.commands.registerCommand('wan.regenerate', (arg: unknown) => this.againFromArg(arg, false)),
      vscode.commands.registerCommand('wan.generateVariation', (arg: unknown) => this.againFromArg(arg, true)),
      { dispose: () => this.dispose() },
    ];
  }

  private dispose(): void {
    this.stopBatches();
    this.queue.dispose();
  }

  /** The selection is the prompt and the settings give the parameters; submits at once. */
  async fromSelection(): Promise<TaskRecord | TaskRecord[] | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (editor && !editor.selection.isEmpty) {
      const selected = editor.document.getText(editor.selection).trim();
      if (!selected) {
        showError(new PromptError(vscode.l10n.t('The selection holds only white space: select the words that describe the video (up to {0} characters).', LIMITS.promptMax)), {
          action: vscode.l10n.t('The video was not submitted'),
        });
        return undefined;
      }
      const source = sourceFor(editor.document.uri, firstWords(selected));
      return this.submitPrompt({}, selected, source, editor.document.uri);
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
    const records = await this.submitEntries(document, file, file.prompts);
    return count === 1 ? records?.[0] : records;
  }

  /** One prompt of a file (its CodeLens), with its variants. */
  async fromPrompt(uri: vscode.Uri, index: number): Promise<TaskRecord[] | undefined> {
    const document = await vscode.workspace.openTextDocument(uri);
    const file = parseDocument(document);
    const entry = file.prompts[index];
    if (!entry || !refuseIfProblems(document, loadPromptParser().blockingProblems(file, entry))) return undefined;
    if (!(await confirmIfUntrusted(uri, entry.seeds.length))) return undefined;
    return this.submitEntries(document, file, [entry]);
  }

  /** Every prompt and variation of a file, as one batch. */
  async allOfFile(uri?: vscode.Uri): Promise<TaskRecord[] | undefined> {
    const target = uri ?? (await pickPromptFile());
    if (!target) return undefined;
    const document = await vscode.workspace.openTextDocument(target);
    const file = parseDocument(document);
    if (!refuseIfProblems(document, file.problems.filter((p) => p.severity === 'error'))) return undefined;
    if (!(await confirmIfUntrusted(target, loadPromptParser().videoCount(file)))) return undefined;
    return this.submitEntries(document, file, file.prompts);
  }

  /** At activation: a create whose window closed before it was answered may have made and billed a task; say so. */
  async reportUnanswered(): Promise<void> {
    const left = this.deps.pending.left();
    if (left.length === 0) return;
    for (const { note } of left) {
      this.deps.log.warn(`a create sent at ${new Date(note.sentAt).toISOString()} to ${new URL(note.baseUrl).host} was never answered (its window closed): "${note.params.prompt}"`);
    }
    const prompts = left.map(({ note }) => `"${firstWords(note.params.prompt)}"`).join(', ');
    const message = left.length === 1
      ? vscode.l10n.t('A video submitted at {0} may have been created and billed: its window closed before the service answered, so it is not in the task list. The prompt: {1}.', new Date(left[0].note.sentAt).toLocaleString(), prompts)
      : vscode.l10n.t('{0} videos submitted just before a window closed may have been created and billed: their answers never came, so they are not in the task list. The prompts: {1}.', left.length, prompts);
    const lookUp = vscode.l10n.t('Look It Up');
    const dismiss = vscode.l10n.t('Dismiss');
    const choice = await vscode.window.showWarningMessage(message, lookUp, dismiss);
    if (choice === dismiss) await this.deps.pending.forget(left.map(({ key }) => key));
    else if (choice === lookUp) await this.lookUpUnanswered(left);
  }

  /** Asks the service (the list call) for the tasks created around each unanswered create, and follows those not known here. */
  private async lookUpUnanswered(left: ReturnType<PendingCreates['left']>): Promise<void> {
    let found = 0;
    try {
      for (const { key, note } of left) {
        const endpoint: Endpoint = { id: note.endpoint, baseUrl: note.baseUrl };
        const apiKey = (await this.deps.keys.get(endpoint)) ?? (await this.deps.keys.ask(endpoint));
        if (!apiKey) return;
        const tasks = await findLeftTasks(this.deps.access.client(endpoint, apiKey), note, (taskId) => this.deps.store.get(taskId) !== undefined);
        for (const task of tasks) {
          const record: TaskRecord = { ...newRecord(task, endpoint, note.params, note.source), createdAt: note.sentAt };
          await this.keep(record, `task ${task.taskId} found by the list call for a create sent at ${new Date(note.sentAt).toISOString()} and never answered`);
          found++;
        }
        await this.deps.pending.forget([key]);
      }
    } catch (error) {
      showError(error, { action: vscode.l10n.t('Could not look the tasks up; check the provider\'s console instead') });
      return;
    }
    void vscode.window.showInformationMessage(found > 0
      ? vscode.l10n.t('{0} task(s) the service created at that time are now in the task list and followed.', found)
      : vscode.l10n.t('The service created no task of this model at that time that is not already in the task list: nothing more was billed.'));
  }

  /** Stops every batch still submitting: what was not sent is not sent. */
  stopBatches(): number {
    const count = this.batches.size;
    for (const batch of this.batches) batch.abort();
    return count;
  }

  private async submitEntries(document: vscode.TextDocument, file: PromptFile, entries: PromptEntry[]): Promise<TaskRecord[] | undefined> {
    const uri = document.uri;
    const fileName = path.basename(uri.fsPath, '.wanprompt');
    let planned: PlannedTask[];
    try {
      planned = planTasks(file, entries, fileName, sourceFor(uri, fileName));
    } catch (error) {
      showError(error, { action: vscode.l10n.t('The video was not submitted'), promptUri: uri });
      return undefined;
    }
    if (planned.length === 1) {
      const record = await this.run(() => this.submitParams(planned[0].params, planned[0].source, 'generate'), uri);
      return record ? [record] : undefined;
    }
    return this.submitPlanned(planned, fileName, uri);
  }

  private submitPlanned(planned: PlannedTask[], fileName: string, uri: vscode.Uri): Promise<TaskRecord[] | undefined> {
    const key = submissionKey('generate', uri.toString(), planned.map((task) => task.params));
    const send = () => this.sendPlanned(planned, fileName, uri);
    return this.unlessRepeated(key, fileName, send, send);
  }

  /** A batch: one progress notification with Cancel; each task is persisted the moment its create answers. */
  private async sendPlanned(planned: PlannedTask[], fileName: string, uri: vscode.Uri): Promise<TaskRecord[] | undefined> {
    let endpoint: Endpoint;
    let key: string | undefined;
    try {
      endpoint = readEndpoint();
      key = (await this.deps.keys.get(endpoint)) ?? (await this.deps.keys.ask(endpoint));
    } catch (error) {
      showError(error, { action: vscode.l10n.t('The videos were not submitted'), promptUri: uri });
      return undefined;
    }
    if (!key) {
      this.deps.log.info('no API key given; nothing submitted');
      return undefined;
    }
    const client = this.deps.access.client(endpoint, key);
    const batch = randomBatchId();
    for (const task of planned) task.source.batch = batch;
    const stop = new AbortController();
    this.batches.add(stop);
    void vscode.commands.executeCommand('setContext', 'wan.submittingBatch', true);
    const total = planned.length;
    this.deps.log.info(`batch ${batch}: submitting ${total} tasks from ${fileName}`);
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Generating {0} videos from {1}', total, fileName), cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => stop.abort());
          progress.report({ message: vscode.l10n.t('0 of {0} submitted', total) });
          return submitBatch({
            items: planned,
            signal: stop.signal,
            // The request itself is never aborted: once sent, its task may exist, so its answer is waited for and kept.
            create: (task, signal) => this.createAndKeep(client, endpoint, task.params, task.source, (created) => `task ${created.taskId} created (batch ${batch}), seed ${task.params.seed}`, signal),
            onProgress: (created) => progress.report({ increment: 100 / total, message: vscode.l10n.t('{0} of {1} submitted', created, total) }),
          });
        },
      );
      this.reportBatch(outcome, total, uri);
      return outcome.created.map((c) => c.result);
    } finally {
      this.batches.delete(stop);
      if (this.batches.size === 0) void vscode.commands.executeCommand('setContext', 'wan.submittingBatch', false);
    }
  }

  private reportBatch(outcome: BatchOutcome<PlannedTask, TaskRecord>, total: number, uri: vscode.Uri): void {
    const created = outcome.created.length;
    const skipped = outcome.notSubmitted.length;
    this.deps.log.info(`batch: ${created} of ${total} submitted, ${skipped} not submitted, ${outcome.failures.length} failed${outcome.cancelled ? ' (cancelled)' : ''}`);
    const [failure] = outcome.failures;
    if (failure) {
      const unsure = failure.error instanceof WanError && failure.error.requestMayHaveBeenSent
        ? vscode.l10n.t(' One create got no clear answer, so that task may exist (and be billed) though it is not listed.')
        : '';
      showError(failure.error, {
        action: vscode.l10n.t('{0} of {1} videos submitted; {2} not submitted after this failure{3}', created, total, skipped, unsure),
        promptUri: uri,
      });
    } else if (outcome.cancelled) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Stopped: {0} of {1} videos were submitted; the other {2} were not.', created, total, skipped));
    }
  }

  private againFromArg(arg: unknown, newSeed: boolean): Promise<TaskRecord | undefined> | undefined {
    const record = recordFromArg(this.deps.store, arg);
    return record && this.again(record, newSeed);
  }

  /** Regenerate repeats the task with its parameters and seed; a variation takes a new seed. */
  async again(record: TaskRecord, newSeed: boolean): Promise<TaskRecord | undefined> {
    const params = newSeed ? { ...record.params, seed: randomSeed() } : record.params;
    return this.run(() => this.submitParams(params, record.source, newSeed ? 'variation' : 'regenerate'), promptUriOf(record.source));
  }

  private async fromInputBox(): Promise<TaskRecord | undefined> {
    const prompt = await vscode.window.showInputBox({
      title: vscode.l10n.t('Generate a video'),
      prompt: vscode.l10n.t('Describe the video (no text is selected in an editor). The settings give the parameters.'),
      ignoreFocusOut: true,
      validateInput: promptInputProblem,
    });
    if (!prompt?.trim()) return undefined;
    return this.submitPrompt({}, prompt.trim(), { kind: 'input', label: firstWords(prompt) }, undefined);
  }

  private submitPrompt(
    overrides: Partial<Record<ParamField, unknown>>,
    prompt: string,
    source: TaskSource,
    promptUri: vscode.Uri | undefined,
  ): Promise<TaskRecord | undefined> {
    return this.run(() => {
      const defaults = readDefaults();
      const model = (overrides.model ?? defaults.model) as string | undefined;
      const fields: Partial<Record<ParamField, unknown>> = { ...defaultsForModel(defaults, model), ...overrides, prompt };
      fields.seed ??= randomSeed(); // always send a seed, so Regenerate can repeat the task exactly
      const result = validateParams(fields);
      if (!result.params) {
        throw new PromptError(vscode.l10n.t('{0} Nothing was submitted.', result.problems.map((p) => p.message).join(' ')));
      }
      return this.submitParams(result.params, source, 'generate');
    }, promptUri);
  }

  private async run(submit: () => Promise<TaskRecord | undefined>, promptUri: vscode.Uri | undefined): Promise<TaskRecord | undefined> {
    try {
      return await submit();
    } catch (error) {
      if (error instanceof WanError && error.requestMayHaveBeenSent) return this.offerResubmit(error, submit);
      showError(error, { action: vscode.l10n.t('The video was not submitted'), promptUri });
      return undefined;
    }
  }

  /** The request left but no clear answer came (none, a 5xx, not a task): the task may exist and be billed, so never repeat it blindly. */
  private async offerResubmit(error: WanError, submit: () => Promise<TaskRecord | undefined>): Promise<TaskRecord | undefined> {
    this.deps.log.warn(`create: no clear answer after the request was sent (${error.message}); not repeated`);
    const again = vscode.l10n.t('Submit Again');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} The service may have created the task (and billed it) even though it is not listed here: check the provider\'s console before submitting again.', error.message),
      again,
      vscode.l10n.t('Show Log'),
    );
    if (choice === again) return this.run(submit, undefined);
    if (choice) await vscode.commands.executeCommand('wan.showLog');
    return undefined;
  }

  /**
   * Runs `submit` unless the same submission is on its way or its task was created a moment ago (a double-click):
   * then says so, and `another` runs only if the user asks for another.
   */
  private async unlessRepeated<T>(key: string, label: string, submit: () => Promise<T | undefined>, another: () => unknown): Promise<T | undefined> {
    const end = this.repeats.begin(key);
    if (!end) {
      this.deps.log.info(`"${label}" was just submitted; the repeat is held back`);
      void this.offerAnother(label, another);
      return undefined;
    }
    let result: T | undefined;
    try {
      result = await submit();
      return result;
    } finally {
      end(Array.isArray(result) ? result.length > 0 : result !== undefined);
    }
  }

  private async offerAnother(label: string, another: () => unknown): Promise<void> {
    const submit = vscode.l10n.t('Submit Another');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('"{0}" was just submitted, so the same request a moment later was not sent (it would make and bill a second video).', label),
      submit,
    );
    if (choice === submit) await another();
  }

  private submitParams(params: GenerationParams, source: TaskSource, action: SubmitAction): Promise<TaskRecord | undefined> {
    const create = () => this.createOne(params, source);
    return this.unlessRepeated(submissionKey(action, source.uri ?? source.kind, [params]), source.label, create, () => this.run(create, promptUriOf(source)));
  }

  private async createOne(params: GenerationParams, source: TaskSource): Promise<TaskRecord | undefined> {
    const endpoint = readEndpoint();
    const key = (await this.deps.keys.get(endpoint)) ?? (await this.deps.keys.ask(endpoint));
    if (!key) {
      this.deps.log.info('no API key given; nothing submitted');
      return undefined;
    }
    const client = this.deps.access.client(endpoint, key);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Submitting video task…') },
      () => this.createAndKeep(client, endpoint, params, source, (task) => `task ${task.taskId} created on ${new URL(endpoint.baseUrl).host} (request ${task.requestId ?? '-'}), seed ${params.seed}`),
    );
  }

  /**
   * One create, single or in a batch, from the note written just before the request leaves to the stored record,
   * so that deactivation can wait for it and the next start learns of it if its answer never came.
   */
  private createAndKeep(
    client: WanClient,
    endpoint: Endpoint,
    params: GenerationParams,
    source: TaskSource,
    logLine: (task: WanTask) => string,
    signal?: AbortSignal,
  ): Promise<TaskRecord> {
    return this.deps.pending.run({ params, source, endpoint: endpoint.id, baseUrl: endpoint.baseUrl }, async (beforeSend) => {
      const send = async () => {
        await beforeSend();
        return client.createTask(params);
      };
      const task = await createWithRetry(() => this.queue.run(send, signal), { log: tagged(this.deps.log, 'create') });
      const record = newRecord(task, endpoint, params, source);
      await this.keep(record, logLine(task));
      return record;
    });
  }

  /** The create answered: the task exists and is billed, so it is logged, followed and saved, and never reported as not submitted. */
  private async keep(record: TaskRecord, logLine: string): Promise<void> {
    const unsaved = await keepCreated({
      log: () => this.deps.log.info(logLine),
      save: () => this.deps.store.add(record),
      follow: () => this.deps.poller.pollSoon(record.taskId, FIRST_POLL_MS),
    });
    if (unsaved === undefined) return;
    const reason = errorText(unsaved);
    this.deps.log.error(`task ${record.taskId} could not be saved (${reason}); this window follows it and saves it with its next change`);
    const showLog = vscode.l10n.t('Show Log');
    // Not awaited: the submission goes on (a batch to its next task) while the warning is shown.
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Submitted: task {0} was created (and is billed), but VS Code could not save it: {1} This window follows it and saves it with its next change; its id is in the log.', record.taskId, reason),
      showLog,
    ).then((choice) => choice === showLog && vscode.commands.executeCommand('wan.showLog'));
  }
}

function promptUriOf(source: TaskSource): vscode.Uri | undefined {
  return source.uri ? vscode.Uri.parse(source.uri) : undefined;
}

function newRecord(task: WanTask, endpoint: Endpoint, params: GenerationParams, source: TaskSource): TaskRecord {
  return {
    taskId: task.taskId,
    endpoint: endpoint.id,
    baseUrl: endpoint.baseUrl,
    params,
    source,
    status: task.status,
    createdAt: Date.now(),
    requestId: task.requestId,
    submitTime: task.submitTime,
    download: { state: 'none' },
  };
}

/** Says why a prompt file cannot be submitted, at its first problem; true when nothing stops it. */
function refuseIfProblems(document: vscode.TextDocument, problems: PromptFileProblem[]): boolean {
  if (problems.length === 0) return true;
  const first = problems[0];
  const line = document.positionAt(first.start).line + 1;
  const more = problems.length > 1 ? vscode.l10n.t(' ({0} more problems in the Problems panel)', problems.length - 1) : '';
  showError(new PromptError(vscode.l10n.t('{0}, line {1}: {2}{3} Nothing was submitted.', path.basename(document.uri.fsPath), line, first.message, more)), {
    action: vscode.l10n.t('The prompt file cannot be submitted'),
    promptUri: document.uri,
  });
  return false;
}

/**
 * Every video the entries ask for, checked with the settings under each prompt's model. A variant without a seed of
 * its own counts up from the seed setting when there is one (the same seed would make the same video), else is random.
 */
function planTasks(file: PromptFile, entries: PromptEntry[], fileName: string, fileSource: TaskSource): PlannedTask[] {
  const settings = readDefaults();
  const settingsSeed = settings.seed as number | undefined;
  const several = file.prompts.length > 1;
  return entries.flatMap((entry) => entry.seeds.map((seed, i) => {
    const fields = { ...defaultsForModel(settings, entry.model), ...entry.overrides, prompt: entry.prompt };
    fields.seed = seed ?? (settingsSeed !== undefined ? (settingsSeed + i) % (LIMITS.seedMax + 1) : randomSeed());
    const result = validateParams(fields);
    if (!result.params) {
      throw new PromptError(vscode.l10n.t('"{0}": {1} Nothing was submitted.', promptName(entry), result.problems.map((p) => p.message).join(' ')));
    }
    const source: TaskSource = { ...fileSource, label: several ? `${fileName} · ${promptName(entry)}` : fileName };
    if (entry.title) source.promptTitle = entry.title;
    return { params: result.params, source };
  }));
}

function randomBatchId(): string {
  return `${Date.now().toString(36)}-${randomInt(0, 2 ** 32).toString(36)}`;
}

function sourceFor(uri: vscode.Uri, label: string): TaskSource {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const kind = uri.fsPath.endsWith('.wanprompt') ? 'file' : 'selection';
  return { kind, label, uri: uri.toString(), workspaceFolder: folder?.uri.toString() };
}

/**
 * A prompt file from an untrusted workspace can set costly parameters: it is submitted only after the user
 * confirms, every time. Trusted workspaces and files outside the workspace need no confirmation.
 */
export async function confirmIfUntrusted(file: vscode.Uri, taskCount = 1): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const submit = vscode.l10n.t('Submit');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('This workspace is not trusted. Submit "{0}" ({1} paid task(s)) as its front matter says?', path.basename(file.fsPath), taskCount),
    { modal: true, detail: vscode.l10n.t('Open the file first to check its parameters (resolution, duration) if you did not write it.') },
    submit,
  );
  return choice === submit;
}

async function pickPromptFile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'wanprompt') return active.uri;
  const files = await vscode.workspace.findFiles('**/*.wanprompt', '**/node_modules/**', 200);
  if (files.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No .wanprompt file is open or in the workspace. Create one (for example hello.wanprompt) with the prompt text in it.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: path.basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
    { title: vscode.l10n.t('Generate Video from Prompt File'), placeHolder: vscode.l10n.t('Choose a prompt file') },
  );
  return picked?.uri;
}

export function randomSeed(): number {
  return randomInt(0, LIMITS.seedMax);
}

export function firstWords(text: string, max = 48): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
