// Every failure of the Wan API, the network or a download, as one error type a user can act on.
import * as l10n from '@vscode/l10n';

export type WanErrorKind =
  | 'invalid-request'
  | 'moderation'
  | 'arrearage'
  | 'auth'
  | 'access'
  | 'model-not-found'
  | 'throttled'
  | 'quota'
  | 'server'
  | 'network'
  | 'timeout'
  | 'not-found'
  | 'bad-response'
  | 'link-expired'
  | 'insecure-url'
  | 'upload-unavailable'
  | 'aborted';

export interface WanErrorInit {
  kind: WanErrorKind;
  message: string;
  status?: number;
  code?: string;
  requestId?: string;
  /** the host that answered, for an answer of the service */
  host?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  advice?: string;
  requestMayHaveBeenSent?: boolean;
  cause?: unknown;
}

/** What the user can do about each kind of failure; a function, since a message is translated when it is made. */
export function adviceFor(kind: WanErrorKind): string {
  switch (kind) {
    case 'invalid-request': return l10n.t('Fix the request: check the prompt and parameters against what the model accepts.');
    case 'moderation': return l10n.t('Change the prompt (or the audio): the content check rejected it.');
    case 'arrearage': return l10n.t('Top up the account that owns the API key, or check its plan and unpaid bills, then try again.');
    case 'auth': return l10n.t('Set the right API key, and check that the endpoint matches it: a key only works in its own region (Beijing, Singapore) or with the reseller that issued it.');
    case 'access': return l10n.t('Activate the model for this account (or fix the account\'s access to it) in the provider\'s console, then try again.');
    case 'model-not-found': return l10n.t('Fix the model name (text to video: wan2.7-t2v).');
    case 'throttled': return l10n.t('Wait a moment and try again: the service limits how many requests and tasks run at once.');
    case 'quota': return l10n.t('Top up the account or check its plan, buy quota for this model, or switch to another model: waiting will not help.');
    case 'server': return l10n.t('Try again in a little while: the problem is on the service\'s side.');
    case 'network': return l10n.t('Check the network connection, any proxy, and the base URL, then try again.');
    case 'timeout': return l10n.t('Try again; before creating a task again, check the task list, since the last one may have gone through.');
    case 'not-found': return l10n.t('Check the task id and the base URL: tasks are kept for 24 hours only.');
    case 'bad-response': return l10n.t('Check the base URL: the answer did not look like the Wan API.');
    case 'link-expired': return l10n.t('Query the task again for a fresh link: result links expire (results are kept 24 hours).');
    case 'insecure-url': return l10n.t('Use an https:// address (http:// is allowed only for this computer: localhost, 127.0.0.1).');
    case 'upload-unavailable': return l10n.t('Give the file as a public https:// link instead, or use an endpoint with the temporary upload (DashScope Beijing).');
    case 'aborted': return l10n.t('Nothing to do: the operation was cancelled.');
  }
}

export class WanError extends Error {
  readonly kind: WanErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
  readonly host?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly advice: string;
  readonly requestMayHaveBeenSent: boolean;

  constructor(init: WanErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'WanError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.host = init.host;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.advice = init.advice ?? adviceFor(init.kind);
    this.requestMayHaveBeenSent = init.requestMayHaveBeenSent ?? false;
  }
}

/**
 * A create answered 5xx (a gateway usually passed it on first) or 200 with something that is not a task: the service
 * may have started the task and billed it, so it is treated like a timeout: never repeated without the user.
 */
export function createMayHaveStarted(error: unknown, answerStatus?: number): unknown {
  const status = error instanceof WanError ? error.status ?? answerStatus : undefined;
  if (!(error instanceof WanError) || error.requestMayHaveBeenSent || status === undefined) return error;
  const accepted = status >= 200 && status < 300 && (error.kind === 'bad-response' || error.kind === 'server');
  if (status < 500 && !accepted) return error;
  return new WanError({ ...error, status, message: error.message, retryable: false, requestMayHaveBeenSent: true, advice: adviceFor('timeout'), cause: error.cause });
}

/** Codes compared without case or separators: 'invalid_api_key' (compatible mode) is 'InvalidApiKey'. */
function normalise(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9.]/g, '');
}

function byCode(code: string): { kind: WanErrorKind; retryable: boolean } | undefined {
  const c = normalise(code);
  if (c.startsWith('datainspection') || c.startsWith('ipinfringement')) return { kind: 'moderation', retryable: false };
  if (c === 'invalidapikey') return { kind: 'auth', retryable: false };
  if (c.startsWith('accessdenied') || c === 'model.accessdenied') return { kind: 'access', retryable: false };
  if (c === 'modelnotfound') return { kind: 'model-not-found', retryable: false };
  if (c === 'throttling.allocationquota') return { kind: 'quota', retryable: false };
  if (c.startsWith('throttling')) return { kind: 'throttled', retryable: true };
  // Billing answers come as 429 too (PrepaidBillOverdue, insufficient_quota): waiting will not make them pass.
  if (/bill|(?<!load)balance|arrear|overdue/.test(c)) return { kind: 'arrearage', retryable: false };
  if (c.includes('quota')) return { kind: 'quota', retryable: false };
  if (c.startsWith('invalidparameter') || c.startsWith('badrequest') || c === 'invalidurl' || c === 'unsupportedoperation') {
    return { kind: 'invalid-request', retryable: false };
  }
  if (c.startsWith('internalerror') || c === 'systemerror' || c === 'modelservicefailed' || c === 'modelunavailable') {
    return { kind: 'server', retryable: true };
  }
  return undefined;
}

function byStatus(status: number | undefined): { kind: WanErrorKind; retryable: boolean } {
  switch (status) {
    case 400:
      return { kind: 'invalid-request', retryable: false };
    case 401:
      return { kind: 'auth', retryable: false };
    case 403:
      return { kind: 'access', retryable: false };
    case 404:
      return { kind: 'not-found', retryable: false };
    case 429:
      return { kind: 'throttled', retryable: true };
    default:
      // No status at all is a FAILED task without a code: the service gave no reason, a new attempt may work.
      return { kind: 'server', retryable: status === undefined || status === 500 || status === 502 || status === 503 || status === 504 };
  }
}

export function classifyServiceCode(code: string | undefined, status?: number): { kind: WanErrorKind; retryable: boolean; advice: string } {
  const found = (code ? byCode(code) : undefined) ?? byStatus(status);
  const advice = code && normalise(code) === 'unsupportedoperation'
    ? l10n.t('Only a task that is still waiting (PENDING) can be cancelled.')
    : adviceFor(found.kind);
  return { ...found, advice };
}
