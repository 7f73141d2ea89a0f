// The error answers of the service and of proxies in between, as WanErrors: only the client (the lazy network
// bundle) reads them, so this stays out of what activation loads.
import * as l10n from '@vscode/l10n';
import { workspaceOf } from './endpoints';
import { adviceFor, classifyServiceCode, WanError, type WanErrorKind } from './errors';

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
    case 'upload-unavailable': return l10n.t('This endpoint offers no upload');
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
  /** the host that answered: a workspace host's region goes into the advice */
  host?: string;
}

/** A workspace host serves one region: its key and its models must be of that region. */
function workspaceAdvice(kind: WanErrorKind, host: string | undefined): string | undefined {
  const region = host && workspaceOf(host)?.region;
  if (!region) return undefined;
  if (kind === 'auth') return l10n.t('Set an API key of {0}: {1} is a workspace host of that region, and a key of another region is refused. Or set the workspace and region the key belongs to.', region, host);
  if (kind === 'model-not-found' || kind === 'access') return l10n.t('The region {0} ({1}) may not offer this model: pick one it offers, or use a workspace in a region that has it; if it is offered there, activate it for the workspace in the Model Studio console.', region, host);
  return undefined;
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
    host: input.host,
    message: serviceMessage ? l10n.t('{0} ({1}): {2}', leadFor(kind), label, serviceMessage) : l10n.t('{0} ({1}).', leadFor(kind), label),
    retryable: classified.retryable,
    retryAfterMs,
    advice: workspaceAdvice(kind, input.host) ?? (kind === classified.kind ? classified.advice : adviceFor(kind)),
  });
}
