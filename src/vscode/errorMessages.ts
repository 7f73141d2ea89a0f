// Turns any failure into a message that says what to do, with a button where one fits.
import * as vscode from 'vscode';
import { errorMessage } from '../common/text';
import { workspaceOf } from '../wan/endpoints';
import { WanError } from '../wan/errors';
import { ALL_SETTINGS, SETTINGS } from './settings';

export interface ErrorContext {
  /** The prompt file or document the request came from, for an "Edit Prompt" button. */
  promptUri?: vscode.Uri;
  /** Words before the message, e.g. "Could not submit the task". */
  action: string;
}

const SET_KEY = vscode.l10n.t('Set API Key');
const OPEN_SETTINGS = vscode.l10n.t('Open Settings');
const EDIT_PROMPT = vscode.l10n.t('Edit Prompt');
const SHOW_LOG = vscode.l10n.t('Show Log');
const SHOW_PROBLEMS = vscode.l10n.t('Show Problems');

/** A prompt the rules refuse (empty, too long, a bad value in a prompt file): only the user's edit can fix it. */
export class PromptError extends Error {}

/** A setting that breaks a rule: the message's button opens it. */
export class SettingsError extends Error {
  constructor(message: string, readonly setting: string) {
    super(message);
  }
}

/** VS Code's secret storage failed (on Linux, usually no keyring). */
export class KeyringError extends Error {}

/** Shows the message and returns at once; a chosen button runs later. */
export function showError(error: unknown, context: ErrorContext): void {
  void present(error, context);
}

async function present(error: unknown, context: ErrorContext): Promise<void> {
  const { text, buttons, setting } = describe(error, context);
  const choice = await vscode.window.showErrorMessage(vscode.l10n.t('{0}: {1}', context.action, text), ...buttons);
  if (choice === SET_KEY) await vscode.commands.executeCommand('wan.setApiKey');
  else if (choice === OPEN_SETTINGS) await vscode.commands.executeCommand('workbench.action.openSettings', setting ?? ALL_SETTINGS);
  else if (choice === EDIT_PROMPT && context.promptUri) await vscode.window.showTextDocument(context.promptUri);
  else if (choice === SHOW_PROBLEMS) await vscode.commands.executeCommand('workbench.actions.view.problems');
  else if (choice === SHOW_LOG) await vscode.commands.executeCommand('wan.showLog');
}

/** Message text without the action, for the tree's tooltip and tests. */
export function errorText(error: unknown): string {
  if (error instanceof WanError) return error.advice ? vscode.l10n.t('{0} {1}', error.message, error.advice) : error.message;
  return errorMessage(error);
}

function describe(error: unknown, context: ErrorContext): { text: string; buttons: string[]; setting?: string } {
  const text = errorText(error);
  if (error instanceof SettingsError) return { text, buttons: [OPEN_SETTINGS], setting: error.setting };
  if (error instanceof KeyringError) return { text, buttons: [SHOW_LOG] };
  const edit = context.promptUri ? [EDIT_PROMPT] : [];
  if (error instanceof PromptError) return { text, buttons: context.promptUri ? [EDIT_PROMPT, SHOW_PROBLEMS] : [] };
  if (!(error instanceof WanError)) return { text, buttons: [SHOW_LOG] };
  switch (error.kind) {
    // On a workspace host the key may be of another region than the workspace's.
    case 'auth': return { text, buttons: [SET_KEY, OPEN_SETTINGS], setting: error.host && workspaceOf(error.host) ? SETTINGS.workspace : SETTINGS.endpoint };
    case 'access':
    case 'model-not-found': return { text, buttons: [OPEN_SETTINGS], setting: SETTINGS.model };
    case 'moderation': return { text, buttons: edit };
    case 'invalid-request': return { text, buttons: [...edit, OPEN_SETTINGS], setting: SETTINGS.defaults };
    case 'insecure-url':
    case 'bad-response': return { text, buttons: [OPEN_SETTINGS], setting: SETTINGS.baseUrl };
    default: return { text, buttons: [SHOW_LOG] };
  }
}
