// The Compare Takes page (lazy bundle takes.js): the grid's HTML, its tiles, and the messages between it and the extension.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { disposeAll } from '../common/lifecycle';
import { shortened } from '../common/text';
import { statusLabel } from '../tasks/taskLabels';
import { hasVideo, isActive, type TaskRecord } from '../tasks/taskRecord';
import type { TaskStore } from '../tasks/taskStore';
import type { CompareReport, TakeView } from './compareTakes';
import type { PlayChoice, Soundtracks } from './soundtracks';
import { pageHead, videoAddress, webviewOptions } from './webviewMedia';

type PageMessage =
  | ({ type: 'report' } & CompareReport)
  | { type: 'ready' }
  | { type: 'command'; command: 'keep' | 'discardOthers' | 'regenerate' | 'variation'; taskId: string };

/** The parameters a tile names when the takes differ in them. */
const COMPARED: [string, (record: TaskRecord) => string | number | boolean | undefined][] = [
  ['model', (r) => r.params.model],
  ['resolution', (r) => r.params.resolution],
  ['ratio', (r) => r.params.ratio],
  ['size', (r) => r.params.size],
  ['duration', (r) => (r.params.duration === undefined ? undefined : vscode.l10n.t('{0} s', r.params.duration))],
  ['prompt', (r) => shortened(r.params.prompt, 40)],
  ['negative_prompt', (r) => r.params.negativePrompt],
  ['prompt_extend', (r) => r.params.promptExtend],
  ['watermark', (r) => r.params.watermark],
  ['audio', (r) => r.params.audio],
];

export interface CompareDeps {
  extensionUri: vscode.Uri;
  store: TaskStore;
  /** Which file each take plays: the preview's own choice (a copy with its sound converted where the host needs it). */
  soundtracks: Soundtracks;
  onReport(report: CompareReport): void;
  onDispose(): void;
}

/** Fills the panel with the grid of these takes and keeps it current as they change. */
export async function attachComparePanel(panel: vscode.WebviewPanel, taskIds: string[], deps: CompareDeps): Promise<void> {
  const media = vscode.Uri.joinPath(deps.extensionUri, 'media');
  panel.title = titleOf(taskIds.length);
  panel.iconPath = vscode.Uri.joinPath(media, 'wan.svg');
  const records = () => taskIds.map((id) => deps.store.get(id)).filter((r): r is TaskRecord => r !== undefined);
  // The page may load only the folders of the takes' videos: a take that lands in a new folder widens them.
  let roots = '';
  const setOptions = () => {
    const folders = records().flatMap((r) => (r.download.state === 'done' ? [path.dirname(r.download.path)] : []));
    const options = webviewOptions(media, [...folders, deps.soundtracks.folder]);
    const next = JSON.stringify(options.localResourceRoots?.map(String));
    if (next !== roots) {
      roots = next;
      panel.webview.options = options;
    }
  };
  setOptions();
  let latest = 0;
  const post = async (known?: Map<string, PlayChoice>) => {
    const turn = ++latest;
    setOptions();
    const plays = known ?? await whatEachPlays(records(), deps.soundtracks);
    // An older post still reading files must not overwrite a newer one (a landed take would turn back into a placeholder).
    if (turn !== latest) return;
    await panel.webview.postMessage({ type: 'takes', taskIds, takes: takeViews(panel.webview, records(), plays), labels: pageLabels() });
    // A take whose sound is still being converted plays its original until the copy is ready, then the copy.
    for (const [taskId, choice] of plays) {
      void choice.ready?.then((next) => {
        plays.set(taskId, { now: next });
        void post(plays);
      });
    }
  };
  const subscriptions = [
    panel.webview.onDidReceiveMessage((message: PageMessage) => {
      if (message.type === 'ready') void post();
      else if (message.type === 'report') {
        const { type: _type, ...report } = message;
        deps.onReport(report);
      } else if (message.type === 'command') void onCommand(message.command, message.taskId, taskIds);
    }),
    deps.store.onDidChange((record) => {
      if (!record || taskIds.includes(record.taskId)) void post();
    }),
    panel.onDidDispose(() => {
      deps.onDispose();
      disposeAll(subscriptions);
    }),
  ];
  panel.webview.html = renderComparePage(panel.webview, media, taskIds.length);
}

async function onCommand(command: string, taskId: string, taskIds: string[]): Promise<void> {
  switch (command) {
    case 'keep': await vscode.commands.executeCommand('wan.keepTake', taskId); break;
    case 'discardOthers': await vscode.commands.executeCommand('wan.discardOtherTakes', taskId, taskIds); break;
    case 'regenerate': await vscode.commands.executeCommand('wan.regenerate', taskId); break;
    case 'variation': await vscode.commands.executeCommand('wan.generateVariation', taskId); break;
  }
}

export function titleOf(count: number): string {
  return vscode.l10n.t('Compare {0} Takes', count);
}

/** What each take with a video on disk plays, by task id. */
async function whatEachPlays(records: readonly TaskRecord[], soundtracks: Soundtracks): Promise<Map<string, PlayChoice>> {
  const withVideo = records.filter((r) => hasVideo(r) && r.download.state === 'done');
  return new Map(await Promise.all(withVideo.map(async (r) => [r.taskId, await soundtracks.whatToPlay(r)] as const)));
}

/** Each take's tile: its seed, what differs from the others, and its video once on disk. */
export function takeViews(webview: Pick<vscode.Webview, 'asWebviewUri'>, records: readonly TaskRecord[], plays: ReadonlyMap<string, PlayChoice>): TakeView[] {
  const differing = COMPARED.filter(([, value]) => new Set(records.map((r) => String(value(r)))).size > 1);
  return records.map((record) => {
    const played = plays.get(record.taskId)?.now;
    return {
      taskId: record.taskId,
      seed: record.params.seed,
      differences: differing.map(([name, value]) => `${name} ${value(record) ?? '—'}`),
      ...(played && hasVideo(record) && { src: videoAddress(webview, played.path, record) }),
      status: statusLabel(record),
      active: isActive(record),
      kept: record.choice === 'kept',
      discarded: record.choice === 'discarded',
      silentHere: played?.silentHere ?? false,
    };
  });
}

/** The page's words, in the display language (the page builds its tiles from them). */
function pageLabels(): Record<string, string> {
  return {
    play: vscode.l10n.t('Play'),
    pause: vscode.l10n.t('Pause'),
    loop: vscode.l10n.t('Loop'),
    position: vscode.l10n.t('Position'),
    seed: vscode.l10n.t('seed {0}'),
    noSeed: vscode.l10n.t('seed unknown'),
    solo: vscode.l10n.t('Solo'),
    unsolo: vscode.l10n.t('All Muted'),
    enlarge: vscode.l10n.t('Enlarge'),
    shrink: vscode.l10n.t('Back to Grid'),
    keep: vscode.l10n.t('Keep'),
    kept: vscode.l10n.t('★ Kept'),
    discardOthers: vscode.l10n.t('Discard the Others'),
    regenerate: vscode.l10n.t('Regenerate from This Take'),
    variation: vscode.l10n.t('Variation'),
    discarded: vscode.l10n.t('Discarded.'),
    waiting: vscode.l10n.t('Still generating ({0}): the take appears here when it lands.'),
    noVideo: vscode.l10n.t('No video ({0}).'),
    cannotPlay: vscode.l10n.t('VS Code cannot play this video here.'),
    silent: vscode.l10n.t('Plays silently here (AAC sound).'),
    page: vscode.l10n.t('Page {0} of {1}'),
    previous: vscode.l10n.t('Previous Page'),
    next: vscode.l10n.t('Next Page'),
    keys: vscode.l10n.t('Arrows: move between takes · Space: play or pause · Enter: enlarge · K: keep'),
  };
}

export function renderComparePage(webview: Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>, media: vscode.Uri, count: number): string {
  const nonce = randomBytes(16).toString('base64');
  return `${pageHead(webview, media, nonce, 'compare.css', titleOf(count))}
<body>
<script nonce="${nonce}" src="${webview.asWebviewUri(vscode.Uri.joinPath(media, 'compareSync.js'))}"></script>
<script nonce="${nonce}" src="${webview.asWebviewUri(vscode.Uri.joinPath(media, 'compare.js'))}"></script>
</body>
</html>`;
}
