// The only files an agent's request may name: inside the workspace folders once `..` and links are resolved. Checked
// before any byte is read, so a prompt injected into the agent's context cannot get ~/.ssh/id_rsa sent, or even opened.
import * as l10n from '@vscode/l10n';
import { isWebLink } from '../prompt/promptMedia';
import { MediaSendError, resolveLocal } from '../tasks/mediaTransport';
import type { MediaInput } from '../wan/params';

/** The problem of each local medium (and voice) outside the workspace or not there; none when every file may go. */
export async function filesOutsideWorkspace(media: readonly MediaInput[], baseFolder: string | undefined, workspaceFolders: readonly string[]): Promise<string[]> {
  const sources = media.flatMap((item) => [item.source, ...(item.referenceVoice === undefined ? [] : [item.referenceVoice])]).filter((source) => !isWebLink(source));
  if (sources.length > 0 && workspaceFolders.length === 0) return [l10n.t('No folder is open, so no local file can be sent: open the project\'s folder first.')];
  const problems: string[] = [];
  for (const source of sources) {
    const problem = await refusal(() => resolveLocal(source, baseFolder, workspaceFolders));
    if (problem) problems.push(problem);
  }
  return problems;
}

/** The prompt file's real path inside a workspace folder, or why it cannot be read. */
export async function promptFileInWorkspace(written: string, workspaceFolders: readonly string[]): Promise<{ file: string } | { problem: string }> {
  if (!/\.wanprompt$/i.test(written.trim())) return { problem: l10n.t('promptFile must be a .wanprompt file in the workspace; got "{0}".', written) };
  let file: string | undefined;
  const problem = await refusal(async () => {
    file = await resolveLocal(written, undefined, workspaceFolders);
  });
  return problem === undefined ? { file: file! } : { problem };
}

async function refusal(resolve: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await resolve();
    return undefined;
  } catch (error) {
    if (error instanceof MediaSendError) return error.message;
    throw error;
  }
}
