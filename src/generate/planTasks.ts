// What a submission will send: the checked parameters of each video and where its prompt came from.
import { randomInt } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { shortened } from '../common/text';
import type { PromptEntry, PromptFile } from '../prompt/promptFile';
import { promptName } from '../promptLanguage/promptDocuments';
import type { TaskEstimate } from '../tasks/costs';
import type { TaskSource } from '../tasks/taskRecord';
import { PromptError } from '../vscode/errorMessages';
import { readDefaults } from '../vscode/settings';
import { loadPromptParser } from '../bundles/loader';
import type { GenerationParams, MediaInput } from '../wan/params';

/** One task of a batch, checked and ready to send. */
export interface PlannedTask {
  params: GenerationParams;
  source: TaskSource;
  /** What it will cost, once the cap and the budget let it go. */
  estimate?: TaskEstimate;
}

/**
 * Every video the entries ask for, checked with the settings under each prompt's model. A variant without a seed of
 * its own counts up from the seed setting when there is one (the same seed would make the same video), else is random.
 */
export function planTasks(file: PromptFile, entries: PromptEntry[], fileName: string, fileSource: TaskSource): PlannedTask[] {
  const { defaultsForModel, LIMITS, takesRandomSeed, validateParams } = loadPromptParser();
  const settings = readDefaults();
  const settingsSeed = settings.seed as number | undefined;
  const several = file.prompts.length > 1;
  return entries.flatMap((entry) => entry.seeds.map((seed, i) => {
    const fields = { ...defaultsForModel(settings, entry.model), ...entry.overrides, prompt: entry.prompt };
    fields.seed = seed ?? (settingsSeed !== undefined ? (settingsSeed + i) % (LIMITS.seedMax + 1) : takesRandomSeed(entry.model) ? randomSeed() : undefined);
    const result = validateParams(fields, mediaOf(entry));
    if (!result.params) {
      throw new PromptError(vscode.l10n.t('"{0}": {1} Nothing was submitted.', promptName(entry), result.problems.map((p) => p.message).join(' ')));
    }
    const source: TaskSource = { ...fileSource, label: several ? `${fileName} · ${promptName(entry)}` : fileName };
    if (entry.title) source.promptTitle = entry.title;
    return { params: result.params, source };
  }));
}

/** The entry's media inputs, in the order written. */
function mediaOf(entry: PromptEntry): MediaInput[] {
  // Until the prompt format reads the media keys, an entry has none.
  return (entry as PromptEntry & { media?: MediaInput[] }).media ?? [];
}

/** Where a prompt in `uri` came from: a prompt file, or a selection in any other document. */
export function sourceFor(uri: vscode.Uri, label: string): TaskSource {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const kind = uri.fsPath.endsWith('.wanprompt') ? 'file' : 'selection';
  return { kind, label, uri: uri.toString(), workspaceFolder: folder?.uri.toString() };
}

/** Where a task's relative media paths are looked up first: its prompt file's folder, else its workspace folder. */
export function baseFolderOf(source: TaskSource): string | undefined {
  if (source.kind === 'file' && source.uri) return path.dirname(vscode.Uri.parse(source.uri).fsPath);
  return source.workspaceFolder ? vscode.Uri.parse(source.workspaceFolder).fsPath : undefined;
}

export function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
}

export function promptUriOf(source: TaskSource): vscode.Uri | undefined {
  return source.uri ? vscode.Uri.parse(source.uri) : undefined;
}

export function randomSeed(): number {
  return randomInt(0, loadPromptParser().LIMITS.seedMax);
}

/** A prompt's first words: the label of a task from a selection or the input box, and how messages quote a prompt. */
export function promptLabel(prompt: string): string {
  return shortened(prompt, 48);
}
