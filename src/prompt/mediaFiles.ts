// The local files a prompt's media keys name, checked before anything is sent: there, inside the workspace, and within
// what the model takes (format, alpha, sides, aspect, size, duration), from their headers. Reads files: not part of the
// synchronous parser; the editor runs it after each parse.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { isInside } from '../common/files';
import { checkMediaFile, readMediaInfo, type MediaProblem, type MediaRead, type MediaReadProblem } from '../media/index';
import { inputPlusOutputProblem, mediaLimits } from '../wan/mediaRules';
import { rulesFor, type MediaType } from '../wan/models';
import type { PromptEntry } from './promptFileTypes';
import { isWebLink } from './promptMedia';

/** Where a prompt file is: its folder, and the workspace folders its files must be in. */
export interface MediaFileContext {
  promptFolder: string;
  workspaceFolders: readonly string[];
}

export interface MediaFileProblem {
  start: number;
  end: number;
  message: string;
  severity: 'error' | 'warning';
  code: MediaProblem['code'] | MediaReadProblem['code'] | 'outside' | 'total-duration' | 'input-and-output';
  /** The file it is about, resolved. */
  file: string;
}

/** A local source's file: relative to the prompt file's folder, else to the first workspace folder that has it. */
export async function resolveMediaPath(source: string, context: MediaFileContext): Promise<string> {
  if (path.isAbsolute(source)) return path.normalize(source);
  const candidates = [context.promptFolder, ...context.workspaceFolders].map((folder) => path.resolve(folder, source));
  for (const candidate of candidates) if (await exists(candidate)) return candidate;
  return candidates[0];
}

/** Inside a workspace folder once links are followed: a link to a file elsewhere is elsewhere. */
export async function isInsideWorkspace(file: string, folders: readonly string[]): Promise<boolean> {
  const real = await fs.realpath(file).catch(() => file);
  for (const folder of folders) if (isInside(real, await fs.realpath(folder).catch(() => folder))) return true;
  return false;
}

/** What hover shows: the file a source names and what its header says. */
export async function mediaFileInfo(source: string, context: MediaFileContext): Promise<{ file: string; read: MediaRead }> {
  const file = await resolveMediaPath(source, context);
  return { file, read: await readMediaInfo(file) };
}

/** Every problem of the local files of one prompt's media (and their voices), at each value. */
export async function checkMediaFiles(
  entry: Pick<PromptEntry, 'model' | 'media'> & { overrides?: PromptEntry['overrides'] },
  context: MediaFileContext,
): Promise<MediaFileProblem[]> {
  const rules = rulesFor(entry.model);
  const problems: MediaFileProblem[] = [];
  const totals = new Map<MediaType, number>();
  const written = entry.overrides?.duration;
  const duration = typeof written === 'number' ? written : rules.defaults.duration ?? rules.serviceDefaults.duration;
  let inputSeconds = 0;
  const check = async (type: MediaType | 'reference_voice', source: string, start: number, end: number): Promise<void> => {
    const limits = mediaLimits(rules, type);
    if (!limits || isWebLink(source)) return;
    const file = await resolveMediaPath(source, context);
    const read = await readMediaInfo(file);
    if ('problem' in read) {
      problems.push({ start, end, message: read.problem.message, severity: 'error', code: read.problem.code, file });
      return;
    }
    if (!(await isInsideWorkspace(file, context.workspaceFolders))) {
      const message = l10n.t('{0} is outside the workspace folders, and nothing is sent from there. Copy it into the workspace and write that path.', file);
      problems.push({ start, end, message, severity: 'error', code: 'outside', file });
      return;
    }
    for (const problem of checkMediaFile(read.info, limits)) problems.push({ start, end, message: problem.message, severity: problem.severity, code: problem.code, file });
    const total = type !== 'reference_voice' && rules.media?.totalSeconds?.[type];
    if (total && (read.info.kind === 'video' || read.info.kind === 'audio')) {
      const sum = (totals.get(type as MediaType) ?? 0) + read.info.seconds;
      totals.set(type as MediaType, sum);
      if (sum > total) {
        const message = l10n.t('The {0} files last {1} s together up to here; {2} takes at most {3} s of them. Trim them, or use fewer.', type, Math.ceil(sum * 10) / 10, rules.id, total);
        problems.push({ start, end, message, severity: 'error', code: 'total-duration', file });
      }
    }
    if (type !== 'reference_voice' && rules.media?.inputPlusOutputMax?.types.includes(type) && read.info.kind === 'video') {
      const before = inputPlusOutputProblem(rules, type, inputSeconds, duration);
      inputSeconds += read.info.seconds;
      const message = inputPlusOutputProblem(rules, type, inputSeconds, duration);
      // Said once, at the clip that passes the limit.
      if (message && !before) problems.push({ start, end, message, severity: 'error', code: 'input-and-output', file });
    }
  };
  // In order, so that a total is passed at the item that passes it.
  for (const item of entry.media) {
    await check(item.type, item.source, item.start, item.end);
    if (item.referenceVoice !== undefined) await check('reference_voice', item.referenceVoice, item.voiceStart!, item.voiceEnd!);
  }
  return problems;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}
