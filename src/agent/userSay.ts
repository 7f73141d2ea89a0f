// When the generate tool asks the user itself, in its own modal dialog, before any money is spent. VS Code 1.100 shows
// its confirmation (our confirmationMessages) before invoke, in chat and outside (vscode.lm.invokeTool with no token),
// but skips it: in chat when `chat.tools.autoApprove` approves the tool or the user once chose "Always Allow" for it;
// anywhere in a window that runs extension tests or the smoke-test driver (its dialog service answers yes unseen).
// The tool cannot read "Always Allow" nor the window's mode, only the setting and the clock: no person reads and answers
// a confirmation in under a second. So invoke asks again exactly when the setting approves the tool or the answer came
// faster than that, wherever the call came from.

export const FASTEST_ANSWER_MS = 1000;

export interface ShownConfirmation {
  /** When prepareInvocation returned the confirmation for this very input. */
  at: number;
}

/** Whether invoke must ask the user itself: VS Code's confirmation may not have been seen. */
export function mustAskAgain(shown: ShownConfirmation | undefined, invokedAt: number, autoApproved: boolean): boolean {
  return !shown || autoApproved || invokedAt - shown.at < FASTEST_ANSWER_MS;
}

/** `chat.tools.autoApprove` approves the tool: `true`, or an object naming the tool with `true` (as VS Code reads it). */
export function autoApproves(setting: unknown, toolName: string): boolean {
  if (setting === true) return true;
  return typeof setting === 'object' && setting !== null && !Array.isArray(setting) && Object.hasOwn(setting, toolName) && (setting as Record<string, unknown>)[toolName] === true;
}
