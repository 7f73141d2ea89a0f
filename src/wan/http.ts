// The one place that talks HTTP: a shared keep-alive agent and the mapping of network failures to WanError.
import type { Readable } from 'node:stream';
import * as l10n from '@vscode/l10n';
import { Agent, request, type Dispatcher } from 'undici';
import { errorMessage } from '../common/text';
import { WanError } from './errors';

export interface Timeouts {
  connectMs?: number;
  headersMs?: number;
  bodyMs?: number;
}

export interface SendOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** a stream is sent as it is read (an upload from disk); its length goes in a content-length header */
  body?: string | Readable;
  signal?: AbortSignal;
  timeouts: Required<Timeouts>;
}

export type HttpResponse = Dispatcher.ResponseData;

/** A response header's value; the first when it came several times. */
export function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

// undici sets the connect timeout per agent, so each distinct value gets its own; normally there is one.
const agents = new Map<number, Agent>();

function agentFor(connectMs: number): Agent {
  let agent = agents.get(connectMs);
  if (!agent) {
    agent = new Agent({ connect: { timeout: connectMs }, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
    agents.set(connectMs, agent);
  }
  return agent;
}

/** Closes every pooled connection at once (on deactivation); requests still running fail as aborted. */
export async function closeDispatcher(): Promise<void> {
  const open = [...agents.values()];
  agents.clear();
  await Promise.all(open.map((agent) => agent.destroy()));
}

/** One request, no redirect following (undici's request only follows with the redirect interceptor, which is never added). */
export async function send(url: URL, options: SendOptions): Promise<HttpResponse> {
  if (options.signal?.aborted) throw abortedError();
  try {
    return await request(url, {
      method: options.method,
      headers: options.headers,
      body: options.body,
      signal: options.signal,
      dispatcher: agentFor(options.timeouts.connectMs),
      headersTimeout: options.timeouts.headersMs,
      bodyTimeout: options.timeouts.bodyMs,
    });
  } catch (error) {
    throw networkError(error, url, options);
  }
}

export function abortedError(): WanError {
  return new WanError({ kind: 'aborted', message: l10n.t('Cancelled.') });
}

const NOT_REACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

function errorCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

function seconds(ms: number): string {
  return ms >= 1000 ? l10n.t('{0} s', Math.round(ms / 100) / 10) : l10n.t('{0} ms', ms);
}

/** Maps a thrown network error to WanError; `requestMayHaveBeenSent` is true unless the connection never opened. */
export function networkError(error: unknown, url: URL, options: Pick<SendOptions, 'signal' | 'timeouts'>): WanError {
  if (error instanceof WanError) return error;
  if (options.signal?.aborted) return abortedError();
  const host = url.host;
  const code = errorCode(error);
  const detail = errorMessage(error);
  if (code && NOT_REACHED.has(code)) {
    const message = code === 'ECONNREFUSED'
      ? l10n.t('Could not connect to {0}: the connection was refused ({1}).', host, code)
      : code.startsWith('EAI') || code === 'ENOTFOUND'
        ? l10n.t('Could not connect to {0}: the host name was not found ({1}).', host, code)
        : l10n.t('Could not connect to {0}: the host is unreachable ({1}).', host, code);
    return new WanError({ kind: 'network', message, retryable: true, requestMayHaveBeenSent: false, cause: error });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new WanError({ kind: 'timeout', message: l10n.t('Could not connect to {0} within {1}.', host, seconds(options.timeouts.connectMs)), retryable: true, requestMayHaveBeenSent: false, cause: error });
  }
  if (code && /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) {
    return new WanError({
      kind: 'network',
      message: l10n.t('The secure connection to {0} failed: {1} ({2}).', host, detail, code),
      retryable: false,
      requestMayHaveBeenSent: false,
      advice: l10n.t('Check the computer\'s clock and any proxy or antivirus that intercepts HTTPS.'),
      cause: error,
    });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new WanError({ kind: 'timeout', message: l10n.t('{0} did not answer within {1}.', host, seconds(options.timeouts.headersMs)), retryable: true, requestMayHaveBeenSent: true, cause: error });
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new WanError({ kind: 'timeout', message: l10n.t('The answer from {0} stalled for more than {1}.', host, seconds(options.timeouts.bodyMs)), retryable: true, requestMayHaveBeenSent: true, cause: error });
  }
  // Anything else happened on an open connection (reset, closed early): the request may have arrived.
  return new WanError({
    kind: 'network',
    message: code
      ? l10n.t('The connection to {0} broke before the answer was complete: {1} ({2}).', host, detail, code)
      : l10n.t('The connection to {0} broke before the answer was complete: {1}.', host, detail),
    retryable: true,
    requestMayHaveBeenSent: true,
    cause: error,
  });
}
