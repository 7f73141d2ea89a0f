// The two Language Model Tools' work, loaded on their first call (the agentTools bundle): a generate call is checked
// like the editor checks a prompt file, confirmed by the user, and submitted through the one queue; a task call reports
// the store's tasks, waiting for them if asked. The words are the pure modules' (src/agent).
import { costLabel } from '../tasks/spending';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkGenerateInput, fileProblems, findPrompt, type GenerateVideoInput } from '../agent/generateRequest';
import { waitForTasks, waitSecondsOf } from '../agent/taskWait';
import { confirmationOf, refusedText, submittedText, tasksText, type CostCheck, type SentFile, type TaskReport } from '../agent/toolTexts';
import { mustAskAgain, type ShownConfirmation } from '../agent/userSay';
import { filesOutsideWorkspace, promptFileInWorkspace } from '../agent/workspaceFiles';
import { checkMediaFiles } from '../prompt/mediaFiles';
import { resolveLocal } from '../tasks/mediaTransport';
import type { TaskRecord, TaskSource } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import { readMediaInfo } from '../media/mediaInfo';
import { isWebLink } from '../prompt/promptMedia';
import type { Generator } from '../generate/generator';
import type { PlannedTask, planTasks, promptLabel, sourceFor, workspaceFolderPaths } from '../generate/planTasks';
import type { parseDocument } from '../promptLanguage/promptDocuments';
import type { errorText } from '../vscode/errorMessages';
import type { defaultModel, toolAutoApproved } from '../vscode/settings';

/** The tool's name in package.json, recorded on the tasks it makes. */
const GENERATE_TOOL = 'wan_generate_video';

export interface GetVideoTaskInput {
  taskIds?: unknown;
  waitSeconds?: unknown;
}

/**
 * What the tools use of the VS Code layer the generate commands run on, handed in by activation (which loaded it):
 * this bundle holds none of it, so dist/core.js, which the bundles share, stays free of `vscode`.
 */
export interface GenerateLayer {
  planTasks: typeof planTasks;
  sourceFor: typeof sourceFor;
  promptLabel: typeof promptLabel;
  workspaceFolderPaths: typeof workspaceFolderPaths;
  parseDocument: typeof parseDocument;
  defaultModel: typeof defaultModel;
  toolAutoApproved: typeof toolAutoApproved;
  errorText: typeof errorText;
}

export interface VideoToolsDeps {
  layer: GenerateLayer;
  store: TaskStore;
  generator: Pick<Generator, 'submitForAgent' | 'agentSpend'>;
  log: vscode.LogOutputChannel;
}

/** A request checked and planned: what the confirmation lists and what a yes submits. */
interface Prepared {
  planned: PlannedTask[];
  files: SentFile[];
  warnings: string[];
}

export class VideoTools {
  /** The confirmations prepareInvocation returned, by their input, for invoke to know the user was asked. */
  private readonly shown = new Map<string, ShownConfirmation>();

  constructor(private readonly deps: VideoToolsDeps) {}

  async prepareGenerate(input: GenerateVideoInput): Promise<vscode.PreparedToolInvocation> {
    const key = JSON.stringify(input);
    this.shown.delete(key);
    const prepared = vscode.workspace.isTrusted ? await this.prepare(input) : undefined;
    const invocationMessage = vscode.l10n.t('Submitting the video to Wan');
    // A request that will be refused costs nothing: no question for the user, invoke says why.
    if (!prepared || 'problems' in prepared) return { invocationMessage };
    const cost = await this.deps.generator.agentSpend(prepared.planned);
    if (cost.refusal) return { invocationMessage };
    this.shown.set(key, { at: Date.now() });
    return { invocationMessage, confirmationMessages: confirmationOf(prepared.planned.map((task) => task.params), prepared.files, cost) };
  }

  async invokeGenerate(options: vscode.LanguageModelToolInvocationOptions<GenerateVideoInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const invokedAt = Date.now();
    const key = JSON.stringify(options.input);
    const shown = this.shown.get(key);
    this.shown.delete(key);
    if (!vscode.workspace.isTrusted) {
      return result(refusedText([vscode.l10n.t('This workspace is not trusted: the Wan tools read and send nothing from it. The user can trust the workspace, then ask again.')]));
    }
    // Checked again: a file may have changed since the confirmation.
    const prepared = await this.prepare(options.input);
    if ('problems' in prepared) return result(refusedText(prepared.problems));
    const plans = prepared.planned.map((task) => task.params);
    const cost = await this.deps.generator.agentSpend(prepared.planned);
    if (cost.refusal) return result(refusedText([cost.refusal]));
    if (mustAskAgain(shown, invokedAt, this.deps.layer.toolAutoApproved(GENERATE_TOOL)) && !(await this.askOurselves(plans, prepared.files, cost))) {
      return result(vscode.l10n.t('The user declined: nothing was submitted. Ask the user what to change before trying again.'));
    }
    const stop = new AbortController();
    const cancel = token.onCancellationRequested(() => stop.abort());
    try {
      const outcome = await this.deps.generator.submitForAgent(prepared.planned, stop.signal);
      const [failure] = outcome.failures;
      return result(submittedText(outcome.created.map((c) => c.result), outcome.notSubmitted.length + outcome.failures.length, failure && this.deps.layer.errorText(failure.error), prepared.warnings, cost));
    } catch (error) {
      return result(refusedText([this.deps.layer.errorText(error)]));
    } finally {
      cancel.dispose();
    }
  }

  async invokeGetTask(input: GetVideoTaskInput, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const asked = Array.isArray(input.taskIds) ? input.taskIds.filter((id): id is string => typeof id === 'string') : [];
    if (asked.length === 0) return result(vscode.l10n.t('Give taskIds: the ids wan_generate_video returned, or ["latest"] for the tasks of the latest generate call.'));
    const ids = [...new Set(asked.flatMap((id) => (id.trim().toLowerCase() === 'latest' ? this.latestIds() : [id.trim()])))];
    const unknown = ids.filter((id) => !this.deps.store.get(id));
    const known = ids.filter((id) => this.deps.store.get(id));
    const waitSeconds = waitSecondsOf(input.waitSeconds);
    let wait: 'none' | 'done' | 'timeout' | 'cancelled' = 'none';
    if (waitSeconds > 0 && known.length > 0) {
      const stop = new AbortController();
      const cancel = token.onCancellationRequested(() => stop.abort());
      if (token.isCancellationRequested) stop.abort();
      try {
        wait = await waitForTasks(this.deps.store, known, waitSeconds * 1000, stop.signal);
      } finally {
        cancel.dispose();
      }
    }
    const reports = await Promise.all(known.map((id) => this.report(this.deps.store.get(id)!)));
    const lines = [tasksText(reports, Date.now(), wait)];
    if (unknown.length > 0) lines.push(vscode.l10n.t('Not known here: {0}. Use the ids wan_generate_video returned in this workspace, or "latest".', unknown.join(', ')));
    if (ids.length === 0) lines.push(vscode.l10n.t('No task was made yet: call wan_generate_video first.'));
    return result(lines.filter((line) => line !== '').join('\n'));
  }

  /** The tasks of the newest generate call an agent made, else the newest task. */
  private latestIds(): string[] {
    const all = this.deps.store.all();
    const newest = all.find((record) => record.source.agentTool) ?? all[0];
    if (!newest) return [];
    return newest.source.batch ? all.filter((record) => record.source.batch === newest.source.batch).map((record) => record.taskId) : [newest.taskId];
  }

  private async report(record: TaskRecord): Promise<TaskReport> {
    const report: TaskReport = { record, cost: { line: vscode.l10n.t('Cost: {0}', costLabel(record)) } };
    if (record.download.state === 'done') {
      report.videoPath = vscode.workspace.asRelativePath(record.download.path, true);
      const read = await readMediaInfo(record.download.path);
      if ('info' in read && read.info.kind === 'video') report.video = { seconds: read.info.seconds, width: read.info.width, height: read.info.height };
    }
    return report;
  }

  /** The editor's checks, the planning every generate command does, and the files: inside the workspace before anything else. */
  private async prepare(input: GenerateVideoInput): Promise<Prepared | { problems: string[] }> {
    try {
      const folders = this.deps.layer.workspaceFolderPaths();
      const checked = checkGenerateInput(input, this.deps.layer.defaultModel());
      if (checked.kind === 'problems') return { problems: checked.problems };
      let planned: PlannedTask[];
      let baseFolder: string | undefined;
      let warnings: string[] = [];
      if (checked.kind === 'file') {
        const found = await promptFileInWorkspace(checked.promptFile, folders);
        if ('problem' in found) return { problems: [found.problem] };
        const document = await vscode.workspace.openTextDocument(vscode.Uri.file(found.file));
        const file = this.deps.layer.parseDocument(document);
        const prompt = findPrompt(file, checked.promptName);
        if ('problem' in prompt) return { problems: [prompt.problem] };
        const problems = fileProblems(document.getText(), file, prompt.entry);
        if (problems.length > 0) return { problems };
        const fileName = path.basename(found.file, '.wanprompt');
        planned = this.deps.layer.planTasks(file, [prompt.entry], fileName, { ...this.deps.layer.sourceFor(document.uri, fileName), agentTool: GENERATE_TOOL });
        baseFolder = path.dirname(found.file);
      } else {
        const folder = vscode.workspace.workspaceFolders?.[0];
        const source: TaskSource = { kind: 'input', label: this.deps.layer.promptLabel(checked.entry.prompt), workspaceFolder: folder?.uri.toString(), agentTool: GENERATE_TOOL };
        planned = this.deps.layer.planTasks(checked.file, [checked.entry], source.label, source);
        baseFolder = folder?.uri.fsPath;
        warnings = checked.warnings;
      }
      const { model, media = [] } = planned[0].params;
      // Where each file really is comes first: nothing outside the workspace is opened, not even its header.
      const outside = await filesOutsideWorkspace(media, baseFolder, folders);
      if (outside.length > 0) return { problems: outside };
      const fileChecks = await checkMediaFiles(
        { model, media: media.map((item) => ({ ...item, start: 0, end: 0, voiceStart: 0, voiceEnd: 0 })) },
        { promptFolder: baseFolder ?? folders[0] ?? '', workspaceFolders: folders },
      );
      const errors = fileChecks.filter((problem) => problem.severity === 'error').map((problem) => problem.message);
      if (errors.length > 0) return { problems: errors };
      return { planned, files: await sentFiles(media, baseFolder, folders), warnings };
    } catch (error) {
      // A setting the user must fix, or a prompt the model rules refuse (planTasks): words the agent can pass on.
      return { problems: [this.deps.layer.errorText(error)] };
    }
  }

  /** VS Code's confirmation may have been skipped (userSay.ts): the tool asks, in a modal dialog, before any money is spent. */
  private async askOurselves(plans: PlannedTask['params'][], files: SentFile[], cost: CostCheck): Promise<boolean> {
    const { title, message } = confirmationOf(plans, files, cost);
    const generate = vscode.l10n.t('Generate');
    this.deps.log.info('the generate call may have been approved without the user (chat.tools.autoApprove, or an answer under a second); asking in a dialog');
    return (await vscode.window.showWarningMessage(title, { modal: true, detail: message }, generate)) === generate;
  }
}

/** Each local file as the confirmation lists it, with its size; a link as written. */
async function sentFiles(media: NonNullable<PlannedTask['params']['media']>, baseFolder: string | undefined, folders: string[]): Promise<SentFile[]> {
  const files: SentFile[] = [];
  for (const item of media) {
    for (const [type, source] of [[item.type, item.source], ...(item.referenceVoice ? [[`${item.type} voice`, item.referenceVoice]] : [])]) {
      const bytes = isWebLink(source) ? undefined : (await fs.stat(await resolveLocal(source, baseFolder, folders))).size;
      files.push({ type, source, bytes });
    }
  }
  return files;
}

function result(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}
