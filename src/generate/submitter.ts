// Sends creates, one or a batch: through one queue at the service's rate, never twice by a double-click, and each
// task kept (logged, saved, followed) the moment its create answers.
import { uploadAccount } from '../tasks/uploadCache';
import { randomInt } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadNet, loadPromptParser } from '../bundles/loader';
import { Disposable } from '../common/lifecycle';
import { tagged, type Log } from '../common/log';
import { sizeLabel } from '../common/text';
import type { PromptEntry, PromptFile } from '../prompt/promptFile';
import { CreateQueue, submitBatch, type BatchOutcome } from '../tasks/createQueue';
import { createWithRetry, keepCreated } from '../tasks/createTask';
import { findLeftTasks, type PendingCreates } from '../tasks/pendingCreates';
import type { MediaRecord } from '../tasks/mediaTransport';
import type { WanUploader } from '../wan/upload';
import { RepeatGuard, submissionKey } from '../tasks/repeatGuard';
import type { TaskRecord, TaskSource } from '../tasks/taskRecord';
import { errorText, PromptError, showError } from '../vscode/errorMessages';
import { readDefaults, readEndpoint, readPriceOverrides, readSpendSettings, type Endpoint } from '../vscode/settings';
import type { SpendDecision, SpendSettings, SubmissionEstimate, TaskEstimate } from '../tasks/costs';
import { formatMoney, spentToday } from '../tasks/spending';
import type { WanClient } from '../wan/client';
import { WanError } from '../wan/errors';
import type { GenerationParams, MediaInput, ParamField, SentMedia } from '../wan/params';
import type { WanTask } from '../wan/task';
import { confirmIfUntrusted, refuseIfProblems } from './dialogs';
import { mediaContext } from '../promptLanguage/mediaDiagnostics';
import type { GeneratorDeps } from './generator';
import { baseFolderOf, planTasks, promptLabel, promptUriOf, randomSeed, sourceFor, workspaceFolderPaths, type PlannedTask } from './planTasks';

/** The service seldom finishes a task in under a few seconds: the first query waits that long. */
const FIRST_POLL_MS = 4000;

/** What the transport made of a task's media: the create body's items and the sidecar's records. */
interface SentInputs {
  sent?: SentMedia[];
  records?: MediaRecord[];
}

/** The button a submission came from: another button is a deliberate request, the same one twice a double-click. */
type SubmitAction = 'generate' | 'regenerate' | 'variation';

/** A submission's cost as the cap and the budget see it. */
interface Spend {
  estimate: SubmissionEstimate;
  decision: SpendDecision;
  limits: SpendSettings;
  tasks: TaskEstimate[];
}

export class Submitter extends Disposable {
  /** Every create goes through it, single or batch: at most 5 per second, as the service allows per account. */
  private readonly queue = this._register(new CreateQueue());
  /** The batches still submitting, for Stop Submitting. */
  private readonly batches = new Set<AbortController>();
  private readonly repeats = new RepeatGuard();
  private readonly log: Log;

  constructor(private readonly deps: GeneratorDeps) {
    super();
    this.log = tagged(deps.log, 'create');
    // What was not sent of a batch is not sent once the extension stops.
    this._register({ dispose: () => this.stopBatches() });
  }

  /** At activation: a create whose window closed before it was answered may have made and billed a task; say so. */
  async reportUnanswered(): Promise<void> {
    const left = this.deps.pending.left();
    if (left.length === 0) return;
    for (const { note } of left) {
      this.log.warn(`a create sent at ${new Date(note.sentAt).toISOString()} to ${new URL(note.baseUrl).host} was never answered (its window closed): "${note.params.prompt}"`);
    }
    const prompts = left.map(({ note }) => `"${promptLabel(note.params.prompt)}"`).join(', ');
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

  async submitEntries(document: vscode.TextDocument, file: PromptFile, entries: PromptEntry[]): Promise<TaskRecord[] | undefined> {
    const uri = document.uri;
    // The files the editor checks after each parse are checked again here: a check still running must not let one through.
    const context = mediaContext(document);
    if (context && entries.some((entry) => entry.media.length > 0)) {
      const { checkMediaFiles } = loadPromptParser();
      const problems = (await Promise.all(entries.map((entry) => checkMediaFiles(entry, context)))).flat();
      if (!refuseIfProblems(document, problems.filter((problem) => problem.severity === 'error'))) return undefined;
    }
    const fileName = path.basename(uri.fsPath, '.wanprompt');
    let planned: PlannedTask[];
    try {
      planned = planTasks(file, entries, fileName, sourceFor(uri, fileName));
    } catch (error) {
      showError(error, { action: vscode.l10n.t('The video was not submitted'), promptUri: uri });
      return undefined;
    }
    // One question for the whole file or prompt, before anything is sent (a refused dialog is not an error to show).
    const estimates = await this.approveSpend(planned, uri);
    if (!estimates) return undefined;
    for (const [i, task] of planned.entries()) task.estimate = estimates[i];
    if (planned.length === 1) {
      const record = await this.run(() => this.submitParams(planned[0].params, planned[0].source, 'generate', planned[0].estimate), uri);
      return record ? [record] : undefined;
    }
    return this.submitPlanned(planned, fileName, uri);
  }

  /**
   * An agent's videos, once the user said yes in the tool's confirmation: no dialog, no key asked for; what stops them
   * is thrown or returned, for the tool to put in words. Each task is kept the moment its create answers.
   */
  async submitForAgent(planned: PlannedTask[], signal: AbortSignal): Promise<BatchOutcome<PlannedTask, TaskRecord>> {
    const endpoint = readEndpoint();
    const key = await this.deps.keys.get(endpoint);
    if (!key) throw new PromptError(vscode.l10n.t('No API key is set for {0}: ask the user to run "Wan: Set API Key", then call again.', new URL(endpoint.baseUrl).host));
    const client = this.deps.access.client(endpoint, key);
    if (planned.length > 1) {
      const batch = randomBatchId();
      for (const task of planned) task.source.batch = batch;
    }
    this.log.info(`an agent submits ${planned.length} task(s) (${planned[0].source.agentTool})`);
    return submitBatch({
      items: planned,
      signal,
      create: async (task, taskSignal) => {
        const media = await this.sendMedia(endpoint, key, task.params, task.source, taskSignal);
        return this.createAndKeep(client, endpoint, task, media, (created) => `task ${created.taskId} created for an agent, seed ${task.params.seed}`, taskSignal);
      },
    });
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
      this.log.info('no API key given; nothing submitted');
      return undefined;
    }
    const client = this.deps.access.client(endpoint, key);
    const batch = randomBatchId();
    for (const task of planned) task.source.batch = batch;
    const stop = new AbortController();
    this.batches.add(stop);
    void vscode.commands.executeCommand('setContext', 'wan.submittingBatch', true);
    const total = planned.length;
    this.log.info(`batch ${batch}: submitting ${total} tasks from ${fileName}`);
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
            create: async (task, signal) => {
              const media = await this.sendMedia(endpoint, key, task.params, task.source, signal);
              return this.createAndKeep(client, endpoint, task, media, (created) => `task ${created.taskId} created (batch ${batch}), seed ${task.params.seed}`, signal);
            },
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
    this.log.info(`batch: ${created} of ${total} submitted, ${skipped} not submitted, ${outcome.failures.length} failed${outcome.cancelled ? ' (cancelled)' : ''}`);
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

  /** Regenerate repeats the task with its parameters and seed; a variation takes a new seed. */
  async again(record: TaskRecord, newSeed: boolean): Promise<TaskRecord | undefined> {
    if (!(await this.mediaStillThere(record))) return undefined;
    const params = newSeed ? { ...record.params, seed: randomSeed() } : record.params;
    return this.run(() => this.submitParams(params, record.source, newSeed ? 'variation' : 'regenerate'), promptUriOf(record.source));
  }

  submitPrompt(
    overrides: Partial<Record<ParamField, unknown>>,
    prompt: string,
    source: TaskSource,
    promptUri: vscode.Uri | undefined,
    media: readonly MediaInput[] = [],
  ): Promise<TaskRecord | undefined> {
    return this.run(() => {
      const { defaultsForModel, takesRandomSeed, validateParams } = loadPromptParser();
      const defaults = readDefaults();
      const model = (overrides.model ?? defaults.model) as string | undefined;
      const fields: Partial<Record<ParamField, unknown>> = { ...defaultsForModel(defaults, model), ...overrides, prompt };
      if (takesRandomSeed(model)) fields.seed ??= randomSeed(); // always send a seed, so Regenerate can repeat the task exactly
      const result = validateParams(fields, media);
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
    this.log.warn(`no clear answer after the request was sent (${error.message}); not repeated`);
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
      this.log.info(`"${label}" was just submitted; the repeat is held back`);
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

  /** `estimate`: the cost the user already accepted; absent, the cap and the budget are asked here. */
  private submitParams(params: GenerationParams, source: TaskSource, action: SubmitAction, estimate?: TaskEstimate): Promise<TaskRecord | undefined> {
    const create = () => this.createOne(params, source, estimate);
    return this.unlessRepeated(submissionKey(action, source.uri ?? source.kind, [params]), source.label, create, () => this.run(create, promptUriOf(source)));
  }

  private async createOne(params: GenerationParams, source: TaskSource, accepted?: TaskEstimate): Promise<TaskRecord | undefined> {
    const endpoint = readEndpoint();
    const [estimate] = accepted ? [accepted] : (await this.approveSpend([{ params, source }], promptUriOf(source))) ?? [];
    if (!estimate) return undefined;
    const key = (await this.deps.keys.get(endpoint)) ?? (await this.deps.keys.ask(endpoint));
    if (!key) {
      this.log.info('no API key given; nothing submitted');
      return undefined;
    }
    const client = this.deps.access.client(endpoint, key);
    const media = await this.sendMedia(endpoint, key, params, source);
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Submitting video task…') },
      () => this.createAndKeep(client, endpoint, { params, source, estimate }, media, (task) => `task ${task.taskId} created on ${new URL(endpoint.baseUrl).host} (request ${task.requestId ?? '-'}), seed ${params.seed}`),
    );
  }

  /**
   * One create, single or in a batch, from the note written just before the request leaves to the stored record,
   * so that deactivation can wait for it and the next start learns of it if its answer never came.
   */
  private createAndKeep(
    client: WanClient,
    endpoint: Endpoint,
    { params, source, estimate }: PlannedTask,
    media: SentInputs,
    logLine: (task: WanTask) => string,
    signal?: AbortSignal,
  ): Promise<TaskRecord> {
    return this.deps.pending.run({ params, source, endpoint: endpoint.id, baseUrl: endpoint.baseUrl }, async (beforeSend) => {
      const send = async () => {
        await beforeSend();
        return client.createTask(params, undefined, media.sent).catch((error: unknown) => {
          throw loadNet().withInlineAdvice(error, media.records);
        });
      };
      const task = await createWithRetry(() => this.queue.run(send, signal), { log: this.log });
      const record: TaskRecord = { ...newRecord(task, endpoint, params, source, media.records), ...(estimate && { price: estimate.price }), ...(estimate?.cost && { estimate: estimate.cost }) };
      await this.keep(record, logLine(task));
      return record;
    });
  }

  /**
   * What each task will cost, once the cap and the daily budget let the submission go: undefined when the user said no
   * or the budget refused (and said why). One question for all of `planned`.
   */
  private async approveSpend(planned: readonly PlannedTask[], promptUri: vscode.Uri | undefined): Promise<TaskEstimate[] | undefined> {
    let spend: Spend;
    try {
      spend = await this.spendOf(planned);
    } catch (error) {
      showError(error, { action: vscode.l10n.t('The video was not submitted'), promptUri });
      return undefined;
    }
    const { decision } = spend;
    if (decision.kind === 'refuse') {
      this.log.info(`refused by the daily budget: ${decision.message}`);
      // A modal: the user asked for videos and gets none, so the reason must not slip by as a toast.
      const open = vscode.l10n.t('Open Settings');
      if ((await vscode.window.showWarningMessage(decision.message, { modal: true }, open)) === open) {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'wan.budget.daily');
      }
      return undefined;
    }
    if (decision.kind === 'confirm') {
      const submit = vscode.l10n.t('Submit');
      const choice = await vscode.window.showWarningMessage(decision.message, { modal: true, detail: decision.detail }, submit);
      if (choice !== submit) {
        this.log.info(`not submitted: "${decision.message}" was not confirmed`);
        return undefined;
      }
    }
    return spend.tasks;
  }

  /**
   * An agent's call, which the user answers only in the tool's own confirmation: the cost line that shows, and a
   * refusal when the daily budget refuses or the estimate is over wan.confirmCostAbove. Gives each task its estimate.
   */
  async agentSpend(planned: PlannedTask[]): Promise<{ line: string; refusal?: string }> {
    let spend: Spend;
    try {
      spend = await this.spendOf(planned);
    } catch (error) {
      return { line: '', refusal: errorText(error) };
    }
    const { estimate, decision, limits } = spend;
    planned.forEach((task, index) => (task.estimate = spend.tasks[index]));
    const label = loadPromptParser().estimateLabel(estimate);
    const line = vscode.l10n.t('Estimated cost: {0}', label);
    if (decision.kind === 'refuse') return { line, refusal: decision.message };
    const cap = limits.confirmAbove[estimate.currency];
    if (cap !== undefined && estimate.total.high > cap + 1e-9) {
      return {
        line,
        refusal: vscode.l10n.t('{0} is over the user\'s limit for one submission (wan.confirmCostAbove, {1}): an agent cannot submit it. Ask for fewer, shorter or lower-resolution videos, or ask the user to submit it from the editor (where they are asked) or to raise the setting.', label, formatMoney(cap, estimate.currency)),
      };
    }
    return { line };
  }

  /** A submission's estimate, what the cap and the budget decide, and each task's estimate; throws on a setting that cannot be read. */
  private async spendOf(planned: readonly PlannedTask[]): Promise<Spend> {
    const { checkSpend, estimateSubmission, estimateTask } = loadPromptParser();
    const endpoint = readEndpoint();
    const overrides = readPriceOverrides();
    const limits = readSpendSettings();
    const inputs = await Promise.all(planned.map(async ({ params, source }) => ({ ...params, inputSeconds: await inputVideoSeconds(params, source) })));
    const estimate = estimateSubmission(inputs, endpoint, overrides);
    const decision = checkSpend(estimate, limits, spentToday(this.deps.store.all(), estimate.currency, Date.now()));
    return { estimate, decision, limits, tasks: inputs.map((input) => estimateTask(input, endpoint, overrides)) };
  }

  /**
   * Gets the task's media to the service before its one create: inline, uploaded (with the bytes sent and Cancel) or
   * linked. A medium that cannot go, or a failed upload, throws: no create follows.
   */
  private async sendMedia(endpoint: Endpoint, apiKey: string, params: GenerationParams, source: TaskSource, signal?: AbortSignal): Promise<SentInputs> {
    const media = params.media ?? [];
    if (media.length === 0) return {};
    const net = loadNet();
    let uploader: WanUploader | undefined;
    const cache = this.deps.uploadCache;
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Sending the images, clips and sounds of "{0}"', source.label), cancellable: true },
        (progress, token) => {
          const stop = new AbortController();
          token.onCancellationRequested(() => stop.abort());
          signal?.addEventListener('abort', () => stop.abort(), { once: true });
          let reported = 0;
          return net.transportMedia({
            media,
            model: params.model,
            baseFolder: baseFolderOf(source),
            workspaceFolders: workspaceFolderPaths(),
            upload: (file, model, uploadSignal, onProgress) => (uploader ??= new net.WanUploader({ baseUrl: endpoint.baseUrl, apiKey, log: this.log })).upload(file, model, uploadSignal, onProgress),
            cache: cache && { store: cache, account: uploadAccount(endpoint.baseUrl, apiKey) },
            signal: stop.signal,
            onProgress: (sentBytes, totalBytes, file) => {
              const percent = totalBytes > 0 ? (100 * sentBytes) / totalBytes : 0;
              progress.report({ increment: Math.max(0, percent - reported), message: vscode.l10n.t('{0}: {1} of {2} sent', path.basename(file), sizeLabel(sentBytes), sizeLabel(totalBytes)) });
              reported = percent;
            },
          });
        },
      );
    } catch (error) {
      if (error instanceof net.MediaSendError) throw new PromptError(vscode.l10n.t('{0} Nothing was submitted.', error.message));
      throw error;
    }
  }

  /**
   * Before a task is repeated with its media: the workspace's trust is asked for again, and a file changed since the
   * first run (its hash differs) or gone is said, so the user knows the video will not be the same.
   */
  private async mediaStillThere(record: TaskRecord): Promise<boolean> {
    if (!record.media?.some((item) => item.sent !== 'url')) return true;
    if (!(await confirmIfUntrusted(promptUriOf(record.source) ?? vscode.Uri.file(record.media[0].source)))) return false;
    const differences = await loadNet().compareMedia(record.media, baseFolderOf(record.source), workspaceFolderPaths());
    if (differences.length === 0) return true;
    const gone = differences.filter((d) => d.state === 'gone').map((d) => d.source);
    const changed = differences.filter((d) => d.state === 'changed').map((d) => d.source);
    if (gone.length > 0) {
      showError(new PromptError(vscode.l10n.t('{0} is no longer there (the first run used it). Nothing was submitted.', gone.join(', '))), { action: vscode.l10n.t('The video was not submitted') });
      return false;
    }
    this.log.warn(`${changed.join(', ')} changed since task ${record.taskId} was submitted`);
    const submit = vscode.l10n.t('Submit Anyway');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('{0} changed since the first run (its bytes differ), so the new video will not repeat the first. Submit with the file as it is now?', changed.join(', ')),
      submit,
    );
    return choice === submit;
  }

  /** The create answered: the task exists and is billed, so it is logged, followed and saved, and never reported as not submitted. */
  private async keep(record: TaskRecord, logLine: string): Promise<void> {
    const unsaved = await keepCreated({
      log: () => this.log.info(logLine),
      save: () => this.deps.store.add(record),
      follow: () => this.deps.poller.pollSoon(record.taskId, FIRST_POLL_MS),
    });
    if (unsaved === undefined) return;
    const reason = errorText(unsaved);
    this.log.error(`task ${record.taskId} could not be saved (${reason}); this window follows it and saves it with its next change`);
    const showLog = vscode.l10n.t('Show Log');
    // Not awaited: the submission goes on (a batch to its next task) while the warning is shown.
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Submitted: task {0} was created (and is billed), but VS Code could not save it: {1} This window follows it and saves it with its next change; its id is in the log.', record.taskId, reason),
      showLog,
    ).then((choice) => choice === showLog && vscode.commands.executeCommand('wan.showLog'));
  }
}

function newRecord(task: WanTask, endpoint: Endpoint, params: GenerationParams, source: TaskSource, media?: MediaRecord[]): TaskRecord {
  return {
    taskId: task.taskId,
    endpoint: endpoint.id,
    baseUrl: endpoint.baseUrl,
    params,
    source,
    ...(media && { media }),
    status: task.status,
    createdAt: Date.now(),
    requestId: task.requestId,
    submitTime: task.submitTime,
    download: { state: 'none' },
  };
}


/** The seconds of the video an edit starts from, read from its file's header; undefined for a link or another task. */
async function inputVideoSeconds(params: GenerationParams, source: TaskSource): Promise<number | undefined> {
  const video = params.media?.find((item) => item.type === 'video');
  const { isWebLink, mediaFileInfo } = loadPromptParser();
  if (!video || isWebLink(video.source)) return undefined;
  const { read } = await mediaFileInfo(video.source, { promptFolder: baseFolderOf(source) ?? '', workspaceFolders: workspaceFolderPaths() });
  return 'info' in read && read.info.kind === 'video' ? read.info.seconds : undefined;
}

function randomBatchId(): string {
  return `${Date.now().toString(36)}-${randomInt(0, 2 ** 32).toString(36)}`;
}
