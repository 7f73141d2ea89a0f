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
  | 'aborted';

export interface WanErrorInit {
  kind: WanErrorKind;
  message: string;
  status?: number;
  code?: string;
  requestId?: string;
  retryable?: boolean;
  retryAfterMs?: number;
  advice?: string;
  requestMayHaveBeenSent?: boolean;
  cause?: unknown;
}

/** What the user can do about each kind of failure; a function, since a message is translated when it is made. */
function adviceFor(kind: WanErrorKind): string {
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
    case 'aborted': return l10n.t('Nothing to do: the operation was cancelled.');
  }
}

export class WanError extends Error {
  readonly kind: WanErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly requestId?: string;
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

/** The first words of the message for an error answer of the service. */
function leadFor(kind: WanErrorKind): string {
  switch (kind) {
    case 'invalid-request': return l10n.t('The service rejected the request');
    case 'moderation': return l10n.t('The content check rejected the request');
    case 'arrearage': return l10n.t('The account is in arrears');
    case 'auth': return l10n.t('The service rejected the API key');
    case 'access': return l10n.t('The service denied access');
    case 'model-not-found': return l10n.t('The service does not know this model');
    case 'throttled': return l10n.t('The service is throttling requests');
    case 'quota': return l10n.t('The quota for this model is used up');
    case 'server': return l10n.t('The service failed');
    case 'network': return l10n.t('The service could not be reached');
    case 'timeout': return l10n.t('The service did not answer in time');
    case 'not-found': return l10n.t('The service does not know this task');
    case 'bad-response': return l10n.t('The service gave an unexpected answer');
    case 'link-expired': return l10n.t('The result link no longer works');
    case 'insecure-url': return l10n.t('The address is not allowed');
    case 'aborted': return l10n.t('Cancelled');
  }
}

/** Readable text of an HTML or plain body: tags, scripts and styles removed, whitespace collapsed, cut short. */
export function textSnippet(body: string, max = 160): string {
  const text = body
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export interface HttpErrorInput {
  status: number;
  body: string;
  retryAfter?: string;
  requestIdHeader?: string;
  /** the request is a task lookup: a JSON 404 (the service's own answer) means the task is unknown */
  taskLookup?: boolean;
}

/** The WanError for a non-2xx answer, JSON (the service) or not (a proxy's HTML page). */
export function errorFromHttpResponse(input: HttpErrorInput, now = Date.now()): WanError {
  const { status } = input;
  let json: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(input.body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) json = parsed as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(input.retryAfter, now) : undefined;
  if (!json) {
    // A page that is not JSON comes from a proxy or a CDN, not the service: even a 404 says nothing about the task.
    const snippet = textSnippet(input.body);
    return new WanError({
      kind: 'server',
      status,
      message: snippet
        ? l10n.t('The service answered HTTP {0} with a page that is not the Wan API: "{1}".', status, snippet)
        : l10n.t('The service answered HTTP {0} with a page that is not the Wan API.', status),
      retryable: status === 502 || status === 503 || status === 504,
      retryAfterMs,
      requestId: input.requestIdHeader,
      advice: l10n.t('Try again in a little while; if it keeps happening, check the base URL and any proxy in between.'),
    });
  }
  const code = stringField(json, 'code');
  const serviceMessage = stringField(json, 'message');
  const requestId = stringField(json, 'request_id') ?? input.requestIdHeader;
  const classified = classifyServiceCode(code, status);
  const kind = status === 404 && input.taskLookup ? 'not-found' : classified.kind;
  const label = code ? `${status} ${code}` : `HTTP ${status}`;
  return new WanError({
    kind,
    status,
    code,
    requestId,
    message: serviceMessage ? l10n.t('{0} ({1}): {2}', leadFor(kind), label, serviceMessage) : l10n.t('{0} ({1}).', leadFor(kind), label),
    retryable: classified.retryable,
    retryAfterMs,
    advice: kind === classified.kind ? classified.advice : adviceFor(kind),
  });
}
