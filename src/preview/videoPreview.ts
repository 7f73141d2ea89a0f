// The video preview: a webview panel per video, restored after a reload by its serializer.
// The page keeps its place (time, paused) in its webview state: VS Code rebuilds a hidden page when its tab is shown
// again, and hands the same state to the serializer after a reload, so the video takes up where it was in both cases.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Disposable, disposeAll, toDisposable } from '../common/lifecycle';
import { loadNet } from '../bundles/loader';
import type { Log } from '../common/log';
import { baseFolderOf, workspaceFolderPaths } from '../generate/planTasks';
import type { MediaRecord } from '../tasks/mediaTransport';
import { costLabel } from '../tasks/spending';
import { usageLabel } from '../tasks/taskLabels';
import type { TaskRecord } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import type { PlayedFile, Soundtracks } from './soundtracks';
import { escapeHtml, pageHead, videoAddress, webviewOptions } from './webviewMedia';

export const PREVIEW_VIEW_TYPE = 'wan.videoPreview';

/** The media types that are images: the preview shows them; it names the clips, sounds, documents and links. */
const IMAGE_TYPES: ReadonlySet<string> = new Set(['first_frame', 'last_frame', 'reference_image']);

/**
 * A task's input as the preview shows it: `image` is a local image still in the workspace, as a data URI (a webview
 * root must be a folder, and the page should not be able to read the image's neighbours).
 */
export interface PreviewInput {
  record: MediaRecord;
  image?: string;
}

/** What the page last said about its video element. */
export interface VideoState {
  event: string;
  readyState: number;
  currentTime: number;
  duration?: number;
  error?: number;
  /** The address the <video> plays. */
  source?: string;
  /** Chromium's webkitAudioDecodedByteCount: above 0 once it decoded sound. */
  audioBytes?: number;
}

type PageMessage =
  | ({ type: 'videoState' } & VideoState)
  | { type: 'command'; command: 'regenerate' | 'variation' | 'reveal' | 'copyPrompt' | 'openExternal' };

/** What the page keeps in its webview state (media/preview.js): the serializer reads the task from it. */
export interface PageState {
  taskId: string;
  currentTime?: number;
  paused?: boolean;
}

export class VideoPreviews extends Disposable {
  private readonly panels = new Map<string, vscode.WebviewPanel>();
  private readonly states = new Map<string, VideoState>();
  /** The file each open preview plays (its user's file, or the converted copy). */
  private readonly playing = new Map<string, string>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly store: TaskStore,
    private readonly soundtracks: Soundtracks,
    private readonly log: Log,
  ) {
    super();
    this._register(vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: Partial<PageState> | undefined) => {
        const taskId = typeof state?.taskId === 'string' ? state.taskId : undefined;
        const record = taskId ? store.get(taskId) : undefined;
        if (!record || record.download.state !== 'done') {
          panel.dispose(); // the task or its file is gone: nothing to restore
          return;
        }
        await this.attach(panel, record);
      },
    }));
    this._register(toDisposable(() => {
      for (const panel of this.panels.values()) panel.dispose();
    }));
  }

  /** Opens (or brings forward) the preview of a downloaded task. */
  async show(record: TaskRecord): Promise<void> {
    const existing = this.panels.get(record.taskId);
    if (existing) {
      existing.reveal();
      return;
    }
    if (record.download.state !== 'done') return;
    const panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, titleOf(record), vscode.ViewColumn.Active, {});
    await this.attach(panel, record);
  }

  /** The page's last report on the video of this task, if a preview is open. */
  videoState(taskId: string): VideoState | undefined {
    return this.states.get(taskId);
  }

  /** The file the open preview of this task plays. */
  playedFile(taskId: string): string | undefined {
    return this.playing.get(taskId);
  }

  isOpen(taskId: string): boolean {
    return this.panels.has(taskId);
  }

  private async attach(panel: vscode.WebviewPanel, record: TaskRecord): Promise<void> {
    if (record.download.state !== 'done') return;
    const videoPath = record.download.path;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    panel.title = titleOf(record);
    panel.iconPath = vscode.Uri.joinPath(media, 'wan.svg');
    const [inputs, played] = await Promise.all([previewInputs(record), this.soundtracks.whatToPlay(record)]);
    panel.webview.options = previewOptions(media, videoPath, this.soundtracks.folder);
    this.panels.set(record.taskId, panel);
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: PageMessage) => this.onMessage(record.taskId, message)),
      panel.onDidDispose(() => {
        this.panels.delete(record.taskId);
        this.states.delete(record.taskId);
        this.playing.delete(record.taskId);
        disposeAll(subscriptions);
      }),
    ];
    panel.webview.html = renderPage(panel.webview, media, record, videoPath, played.now.silentHere, inputs, played.now);
    this.playing.set(record.taskId, played.now.path);
    // The converted sound was not ready: the page swaps it in, keeping its place.
    void played.ready?.then((next) => {
      if (this.panels.get(record.taskId) !== panel) return;
      this.playing.set(record.taskId, next.path);
      void panel.webview.postMessage({ type: 'play', ...pageSource(panel.webview, next, record) });
    });
  }

  private async onMessage(taskId: string, message: PageMessage): Promise<void> {
    const record = this.store.get(taskId);
    if (message.type === 'videoState') {
      const { type: _type, ...state } = message;
      this.states.set(taskId, state);
      if (state.event === 'error') this.log.warn(`task ${taskId}: the video cannot play (media error ${state.error})`);
      return;
    }
    if (message.type !== 'command' || !record) return;
    switch (message.command) {
      case 'regenerate': await vscode.commands.executeCommand('wan.regenerate', taskId); break;
      case 'variation': await vscode.commands.executeCommand('wan.generateVariation', taskId); break;
      case 'reveal': await vscode.commands.executeCommand('wan.revealVideo', taskId); break;
      case 'copyPrompt':
        await vscode.env.clipboard.writeText(record.params.prompt);
        void vscode.window.setStatusBarMessage(vscode.l10n.t('Prompt copied'), 3000);
        break;
      case 'openExternal':
        if (record.download.state === 'done') await vscode.env.openExternal(vscode.Uri.file(record.download.path));
        break;
    }
  }
}

/** Files only from media/, the video's folder and the converted copies' (none of the workspace: its input images come as data URIs). */
export function previewOptions(media: vscode.Uri, videoPath: string, copies?: string): vscode.WebviewOptions {
  return webviewOptions(media, [path.dirname(videoPath), ...(copies ? [copies] : [])]);
}

/** What the page needs to play a file: its address and its notes. */
function pageSource(webview: Pick<vscode.Webview, 'asWebviewUri'>, played: PlayedFile, record: TaskRecord): { src: string; note: string; silentHere: boolean } {
  return { src: videoAddress(webview, played.path, record), note: played.note ?? '', silentHere: played.silentHere };
}

/** The task's inputs, each local image found again inside the workspace (never outside it, as when it was sent). */
async function previewInputs(record: TaskRecord): Promise<PreviewInput[]> {
  const inputs: PreviewInput[] = [];
  for (const media of record.media ?? []) {
    let image: string | undefined;
    if (IMAGE_TYPES.has(media.type) && media.sent !== 'url') {
      const net = loadNet();
      image = await net.resolveLocal(media.source, baseFolderOf(record.source), workspaceFolderPaths()).then(net.inlineImage).catch(() => undefined);
    }
    inputs.push({ record: media, ...(image && { image }) });
  }
  return inputs;
}

function titleOf(record: TaskRecord): string {
  return record.download.state === 'done' ? path.basename(record.download.path) : record.source.label;
}

export function renderPage(
  webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>,
  media: vscode.Uri,
  record: TaskRecord,
  videoPath: string,
  silentHere: boolean,
  inputs: readonly PreviewInput[] = [],
  played: PlayedFile = { path: videoPath, silentHere },
): string {
  const nonce = randomBytes(16).toString('base64');
  const source = pageSource(webview, played, record);
  const bytes = record.download.state === 'done' ? record.download.bytes : 0;
  const p = record.params;
  const rows: [string, string | number | undefined][] = [
    [vscode.l10n.t('Model'), p.model],
    [vscode.l10n.t('Resolution'), [p.resolution, p.ratio].filter((part) => part !== undefined).join(' · ')],
    [vscode.l10n.t('Duration'), usageLabel(record.usage) ?? (p.duration === undefined ? undefined : vscode.l10n.t('{0} s', p.duration))],
    [vscode.l10n.t('Cost'), costLabel(record)],
    [vscode.l10n.t('Seed'), p.seed],
    [vscode.l10n.t('Negative prompt'), p.negativePrompt],
    [vscode.l10n.t('Rewritten prompt'), record.actualPrompt],
    [vscode.l10n.t('Size'), `${(bytes / 1024 / 1024).toFixed(2)} MB`],
    [vscode.l10n.t('File'), videoPath],
    [vscode.l10n.t('Task ID'), record.taskId],
  ];
  const details = rows
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(String(value))}</dd>`)
    .join('');
  const images = inputs
    .filter((input) => input.image)
    .map((input) => `<figure><img src="${input.image}" alt="${escapeHtml(input.record.source)}"><figcaption>${escapeHtml(`${input.record.type}: ${input.record.source}`)}</figcaption></figure>`)
    .join('');
  const named = inputs
    .filter((input) => !input.image)
    .map((input) => `<li>${escapeHtml(`${input.record.type}: ${input.record.source}`)}</li>`)
    .join('');
  const inputsHtml = inputs.length === 0 ? '' : `<section class="inputs" aria-label="${escapeHtml(vscode.l10n.t('Inputs'))}">${images ? `<div class="images">${images}</div>` : ''}${named ? `<ul>${named}</ul>` : ''}</section>`;
  const button = (command: string, label: string, primary = false) =>
    `<button data-command="${command}"${primary ? ' class="primary"' : ''}>${escapeHtml(label)}</button>`;
  return `${pageHead(webview, media, nonce, 'preview.css', titleOf(record))}
<body data-task-id="${escapeHtml(record.taskId)}">
<main>
<video id="video" controls preload="auto" src="${escapeHtml(source.src)}"></video>
<p id="sound-note" class="quiet"${source.note ? '' : ' hidden'}>${escapeHtml(source.note)}</p>
<p id="playback-problem" class="notice" hidden>${escapeHtml(vscode.l10n.t('VS Code cannot play this video here. Open it in the system player instead.'))}</p>
<p id="silent-here" class="notice"${silentHere ? '' : ' hidden'}>${escapeHtml(vscode.l10n.t('The soundtrack is AAC, which desktop VS Code cannot decode: the video plays silently here. Open it in the system player to hear it.'))}</p>
<p class="prompt">${escapeHtml(p.prompt)}</p>
${inputsHtml}
<dl>${details}</dl>
<div class="actions">
${button('regenerate', vscode.l10n.t('Regenerate'), true)}
${button('variation', vscode.l10n.t('Variation (new seed)'))}
${button('reveal', vscode.l10n.t('Reveal File'))}
${button('copyPrompt', vscode.l10n.t('Copy Prompt'))}
${button('openExternal', vscode.l10n.t('Open in System Player'))}
</div>
</main>
<script nonce="${nonce}" src="${webview.asWebviewUri(vscode.Uri.joinPath(media, 'preview.js'))}"></script>
</body>
</html>`;
}
