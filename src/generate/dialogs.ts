// What the generate commands ask or tell before anything is sent: which prompt file, whether to submit an untrusted
// one, and why a file cannot be submitted.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptFileProblem } from '../prompt/promptFile';
import { PromptError, showError } from '../vscode/errorMessages';

/** Says why a prompt file cannot be submitted, at its first problem; true when nothing stops it. */
export function refuseIfProblems(document: vscode.TextDocument, problems: PromptFileProblem[]): boolean {
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

/** The active prompt file, else one the user picks from the workspace's. */
export async function pickPromptFile(): Promise<vscode.Uri | undefined> {
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
