// The commands on the workspace's own images and clips: animate an image (or two, as first and last frame), edit a
// video by instruction, or write a prompt file with the media filled in to tune first.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadPromptParser } from '../bundles/loader';
import type { TaskRecord, TaskSource } from '../tasks/taskRecord';
import { imageModel, videoEditModel } from '../vscode/settings';
import type { MediaType } from '../wan/models';
import type { MediaInput } from '../wan/params';
import { confirmIfUntrusted } from './dialogs';
import { promptLabel } from './planTasks';
import type { Submitter } from './submitter';

/** Tests (and other callers) may give the prompt instead of the input box. */
export interface MediaCommandOptions {
  prompt?: string;
}

const IMAGE = /\.(png|jpe?g|bmp|webp)$/i;
const VIDEO = /\.(mp4|mov)$/i;

type Kind = 'image' | 'video';

export class MediaCommands {
  /** The last prompt typed for each kind, offered the next time. */
  private readonly lastPrompt: Partial<Record<Kind, string>> = {};

  constructor(private readonly submitter: Submitter) {}

  /** Wan: Generate Video from Image (the commands are registered by generator.ts). */
  generateFromImage(uri?: vscode.Uri, selected?: vscode.Uri[], options?: MediaCommandOptions): Promise<TaskRecord | undefined> {
    return this.generate('image', uri, selected, options);
  }

  /** Wan: Edit Video. */
  editVideo(uri?: vscode.Uri, selected?: vscode.Uri[], options?: MediaCommandOptions): Promise<TaskRecord | undefined> {
    return this.generate('video', uri, selected, options);
  }

  /** An image to video (two images: first and last frame, in the order chosen), or a video edited by instruction. */
  private async generate(kind: Kind, uri: vscode.Uri | undefined, selected: vscode.Uri[] | undefined, options: MediaCommandOptions = {}): Promise<TaskRecord | undefined> {
    const files = await this.filesOf(kind, uri, selected);
    if (!files) return undefined;
    const prompt = options.prompt ?? (await this.askPrompt(kind, files));
    if (prompt === undefined) return undefined;
    // Asked before any file is read for sending, as for a prompt file.
    if (!(await confirmIfUntrusted(files[0]))) return undefined;
    const { model, media } = this.request(kind, files);
    // The checks a prompt file's editor makes (sides, alpha, duration…), before anything is read for sending.
    const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    const checked = await loadPromptParser().checkMediaFiles(
      { model, media: media.map((item) => ({ ...item, start: 0, end: 0 })) },
      { promptFolder: path.dirname(files[0].fsPath), workspaceFolders },
    );
    const errors = checked.filter((problem) => problem.severity === 'error');
    if (errors.length > 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} Nothing was submitted.', errors.map((problem) => problem.message).join(' ')));
      return undefined;
    }
    const source = sourceOf(files[0], prompt || path.basename(files[0].fsPath));
    return this.submitter.submitPrompt({ model }, prompt, source, undefined, media);
  }

  /** Writes a .wanprompt beside the file with its model and media keys, and opens it. */
  async openAsPromptFile(uri: vscode.Uri | undefined, selected: vscode.Uri[] | undefined): Promise<void> {
    const kind: Kind = uri && VIDEO.test(uri.fsPath) ? 'video' : 'image';
    const files = await this.filesOf(kind, uri, selected);
    if (!files) return;
    const { model, media } = this.request(kind, files, true);
    const folder = path.dirname(files[0].fsPath);
    const target = await uniqueUri(folder, path.basename(files[0].fsPath, path.extname(files[0].fsPath)));
    const keys = media.map((item) => `${item.type}: ${item.source}`).join('\n');
    const hint = kind === 'image'
      ? vscode.l10n.t('Describe the motion: what moves, how the camera goes.')
      : vscode.l10n.t('Describe the change: the style, the outfit, the background.');
    await vscode.workspace.fs.writeFile(target, Buffer.from(`---\nmodel: ${model}\n${keys}\n---\n${hint}\n`));
    await vscode.window.showTextDocument(target);
  }

  /** The model from its setting and each file as the key its row takes; `beside`: paths relative to the first file's folder. */
  private request(kind: Kind, files: vscode.Uri[], beside = false): { model: string; media: MediaInput[] } {
    const model = kind === 'image' ? imageModel() : videoEditModel();
    const types: MediaType[] = kind === 'image' ? ['first_frame', 'last_frame'] : [editType(model)];
    const media = files.map((file, i) => ({ type: types[i], source: beside ? `./${path.basename(file.fsPath)}` : writtenPath(file) }));
    return { model, media };
  }

  /** The chosen files of the kind: the Explorer's selection in the order chosen, else the clicked or active one. */
  private async filesOf(kind: Kind, uri: vscode.Uri | undefined, selected: vscode.Uri[] | undefined): Promise<vscode.Uri[] | undefined> {
    const pattern = kind === 'image' ? IMAGE : VIDEO;
    const chosen = (selected && selected.length > 1 ? selected : [uri ?? activeFile()]).filter((file): file is vscode.Uri => file !== undefined);
    const files = chosen.filter((file) => pattern.test(file.fsPath)).slice(0, kind === 'image' ? 2 : 1);
    if (files.length > 0) return files;
    void vscode.window.showInformationMessage(kind === 'image'
      ? vscode.l10n.t('Choose an image (PNG, JPEG, BMP or WEBP) in the Explorer or open it, then run Generate Video from Image again.')
      : vscode.l10n.t('Choose a video (MP4 or MOV) in the Explorer, then run Edit Video again.'));
    return undefined;
  }

  private async askPrompt(kind: Kind, files: vscode.Uri[]): Promise<string | undefined> {
    const names = files.map((file) => path.basename(file.fsPath)).join(' → ');
    const prompt = await vscode.window.showInputBox({
      title: kind === 'image' ? vscode.l10n.t('Generate a video from {0}', names) : vscode.l10n.t('Edit {0}', names),
      prompt: kind === 'image'
        ? vscode.l10n.t('Describe the motion (optional). The model comes from wan.imageModel, the other parameters from the settings.')
        : vscode.l10n.t('Say what to change: the style, the outfit, the background. The model comes from wan.videoEditModel.'),
      value: this.lastPrompt[kind],
      ignoreFocusOut: true,
      validateInput: (value) => loadPromptParser().promptInputProblem(value),
    });
    if (prompt === undefined) return undefined;
    this.lastPrompt[kind] = prompt.trim();
    return prompt.trim();
  }
}

/** `video` for a model made for editing, `reference_video` for Wan 3.0 (an edit is a reference video and an instruction). */
function editType(model: string): MediaType {
  return loadPromptParser().rulesFor(model).media?.counts.some((count) => count.type === 'video') ? 'video' : 'reference_video';
}

/** Workspace-relative where the file is in a workspace folder (the sidecar then names no home folder), else as it is: the transport refuses it. */
function writtenPath(file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  return folder ? path.relative(folder.uri.fsPath, file.fsPath).split(path.sep).join('/') : file.fsPath;
}

function sourceOf(file: vscode.Uri, label: string): TaskSource {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  return { kind: 'input', label: promptLabel(label), workspaceFolder: folder?.uri.toString() };
}

/** The file of the active editor or custom editor (the image preview), if any. */
function activeFile(): vscode.Uri | undefined {
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
}

async function uniqueUri(folder: string, stem: string): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const candidate = vscode.Uri.file(path.join(folder, n === 1 ? `${stem}.wanprompt` : `${stem}-${n}.wanprompt`));
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
}
