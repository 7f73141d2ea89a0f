// What the two tools say: the confirmation the user answers before anything is paid for, and the results the agent
// reads (what was submitted, each task's state, a finished video's summary), in words a language model can act on.
import * as l10n from '@vscode/l10n';
import { shortened, sizeLabel } from '../common/text';
import { formatElapsed, statusLabel } from '../tasks/taskLabels';
import { elapsedOf, isFinished, type TaskRecord } from '../tasks/taskRecord';
import type { GenerationParams } from '../wan/params';
import { failureReason } from '../wan/task';

/** The seam to the cost module: one line for the confirmation and the result, and why the call is refused, if it is. */
export interface CostCheck {
  line: string;
  refusal?: string;
}

/** What a file the request sends is, as the confirmation lists it. */
export interface SentFile {
  type: string;
  source: string;
  bytes?: number;
}

/** "720P · 16:9 · 5 s · prompt_extend true": the parameters a task sends besides its prompt, seed and media. */
export function parametersLine(params: GenerationParams): string {
  const parts = [
    params.size ?? params.resolution, params.size ? undefined : params.ratio, params.duration === undefined ? undefined : l10n.t('{0} s', params.duration),
    params.shotType && `shot_type ${params.shotType}`,
    params.promptExtend === undefined ? undefined : `prompt_extend ${params.promptExtend}`,
    params.watermark === undefined ? undefined : `watermark ${params.watermark}`,
    params.audio === undefined ? undefined : `audio ${params.audio}`,
    params.audioSetting && `audio_setting ${params.audioSetting}`,
  ];
  return parts.filter((part) => part !== undefined && part !== '').join(' · ');
}

/** The confirmation of one call: every video it makes shares the prompt, model and parameters; only the seeds differ. */
export function confirmationOf(plans: readonly GenerationParams[], files: readonly SentFile[], cost: CostCheck): { title: string; message: string } {
  const [first] = plans;
  const title = plans.length === 1 ? l10n.t('Generate a paid video with Wan?') : l10n.t('Generate {0} paid videos with Wan?', plans.length);
  const lines = [
    l10n.t('An agent asks to generate with {0}.', first.model),
    l10n.t('Prompt: "{0}"', first.prompt),
  ];
  if (first.negativePrompt) lines.push(l10n.t('Negative prompt: "{0}"', first.negativePrompt));
  if (first.audioUrl) lines.push(l10n.t('Sound: {0}', first.audioUrl));
  lines.push(l10n.t('Parameters: {0}', parametersLine(first) || l10n.t('the service\'s defaults')));
  lines.push(l10n.t('Seeds: {0}', plans.map((plan) => plan.seed ?? l10n.t('random')).join(', ')));
  if (files.length === 0) lines.push(l10n.t('Files sent: none.'));
  else for (const file of files) lines.push(l10n.t('File sent: {0} {1}{2}', file.type, file.source, file.bytes === undefined ? '' : ` (${sizeLabel(file.bytes)})`));
  lines.push(cost.line);
  lines.push(l10n.t('The videos are saved into the workspace and listed in the Tasks view of the Wan sidebar.'));
  return { title, message: lines.join('\n') };
}

/** What the agent learns at once after the creates: the task ids, what each sends, and how to follow them. */
export function submittedText(records: readonly TaskRecord[], notSubmitted: number, failure: string | undefined, warnings: readonly string[], cost: CostCheck): string {
  const lines: string[] = [];
  if (records.length > 0) {
    lines.push(records.length === 1 ? l10n.t('Submitted 1 video task to Wan.') : l10n.t('Submitted {0} video tasks to Wan.', records.length));
    for (const record of records) {
      lines.push(l10n.t('- task {0}: {1}, {2}, seed {3}, prompt "{4}"', record.taskId, record.params.model, parametersLine(record.params), record.params.seed ?? l10n.t('random'), shortened(record.params.prompt, 80)));
    }
    lines.push(cost.line);
    lines.push(l10n.t('Generation takes minutes (usually 1–5, sometimes more). The extension follows the tasks and saves each video into the workspace; the user sees them in the Tasks view. To learn the state or wait for the result, call wan_get_video_task with these task ids (or "latest") and waitSeconds up to 120; call it again while they run. Do not submit again to check: every call makes and bills new videos.'));
  }
  if (failure) {
    lines.push(records.length > 0
      ? l10n.t('{0} more not submitted: {1}', notSubmitted, failure)
      : l10n.t('Nothing was submitted: {0}', failure));
  } else if (notSubmitted > 0) {
    lines.push(l10n.t('{0} not submitted: the submission was cancelled.', notSubmitted));
  }
  if (warnings.length > 0) lines.push(l10n.t('Warnings (not blocking): {0}', warnings.join(' ')));
  return lines.join('\n');
}

/** A refused request: nothing was sent, and what to change. */
export function refusedText(problems: readonly string[]): string {
  return [l10n.t('Nothing was submitted. Fix these and call wan_generate_video again:'), ...problems.map((problem) => `- ${problem}`)].join('\n');
}

/** What a finished video is, read from its file's header. */
export interface VideoFacts {
  seconds: number;
  width: number;
  height: number;
}

/** One task as wan_get_video_task reports it. */
export interface TaskReport {
  record: TaskRecord;
  /** The saved video, relative to its workspace folder when it is in one. */
  videoPath?: string;
  video?: VideoFacts;
  cost: CostCheck;
}

export function taskText({ record, videoPath, video, cost }: TaskReport, now: number): string {
  const head = l10n.t('Task {0} ({1}, "{2}")', record.taskId, record.params.model, shortened(record.params.prompt, 60));
  const elapsed = formatElapsed(elapsedOf(record, now));
  if (record.status === 'SUCCEEDED' && record.download.state === 'done') {
    const facts = [
      video ? l10n.t('{0} s', Math.round(video.seconds * 100) / 100) : record.params.duration === undefined ? undefined : l10n.t('{0} s', record.params.duration),
      video ? `${video.width}×${video.height}` : parametersLine(record.params),
      l10n.t('seed {0}', record.params.seed ?? l10n.t('random')),
      cost.line,
    ].filter((part) => part !== undefined);
    return l10n.t('{0}: done. The video is saved at {1} ({2}). Took {3}.', head, videoPath ?? record.download.path, facts.join(', '), elapsed);
  }
  if (record.status === 'SUCCEEDED') {
    if (record.download.state === 'failed') return l10n.t('{0}: generated, but saving the video failed: {1} The user can retry from the Tasks view.', head, record.download.error);
    return l10n.t('{0}: generated; the video is being saved into the workspace.', head);
  }
  if (record.status === 'EXPIRED') return l10n.t('{0}: expired: the service keeps tasks 24 hours and this one never finished here.', head);
  if (isFinished(record)) return l10n.t('{0}: {1}. {2} Failed tasks are not billed.', head, statusLabel(record), failureReason({ taskId: record.taskId, status: record.status, code: record.code, message: record.message, raw: undefined }));
  const problem = record.lastError ? l10n.t(' Last problem while asking the service: {0}', record.lastError) : '';
  return l10n.t('{0}: {1} for {2}.{3}', head, statusLabel(record), elapsed, problem);
}

/** Every task's line, and what to do next: wait again while some run, or use the videos. */
export function tasksText(reports: readonly TaskReport[], now: number, wait: 'none' | 'done' | 'timeout' | 'cancelled'): string {
  const lines = reports.map((report) => taskText(report, now));
  const running = reports.filter(({ record }) => !isSettled(record)).length;
  if (wait === 'cancelled') lines.push(l10n.t('The wait was cancelled; the tasks go on, and the extension still saves their videos.'));
  if (running > 0) {
    lines.push(l10n.t('{0} of {1} still in progress: call wan_get_video_task again (waitSeconds up to 120) to wait more. Do not submit again.', running, reports.length));
  }
  return lines.join('\n');
}

/** Nothing more will happen to it: finished, and its video saved or its saving given up. */
export function isSettled(record: TaskRecord): boolean {
  return isFinished(record) && !(record.status === 'SUCCEEDED' && (record.download.state === 'none' || record.download.state === 'downloading'));
}
