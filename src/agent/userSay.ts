// Whether the user answered VS Code's confirmation of a generate call themselves. VS Code 1.100 skips a tool's
// confirmation inside chat when `chat.tools.autoApprove` (or an "Always Allow" the user once chose) approves the tool,
// and then calls invoke at once; outside chat (no invocation token) it always shows its modal dialog. No person reads
// and answers a confirmation in under a second, so an invoke that quick is asked about again by the tool itself.

export const FASTEST_ANSWER_MS = 1000;

export interface ShownConfirmation {
  /** When prepareInvocation returned the confirmation for this very input. */
  at: number;
}

export function answeredByPerson(fromChat: boolean, shown: ShownConfirmation | undefined, invokedAt: number): boolean {
  if (!shown) return false;
  if (!fromChat) return true;
  return invokedAt - shown.at >= FASTEST_ANSWER_MS;
}
