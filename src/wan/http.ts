// The one place that talks HTTP: a shared keep-alive agent and the mapping of network failures to WanError.
import { Agent, request, type Dispatcher } from 'undici';
import { WanError } from './errors';

export interface Timeouts {
  connectMs?: number;
  headersMs?: number;
  bodyMs?: number;
}

export interface SendOptions {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  timeouts: Required<Timeouts>;
}

export type HttpResponse = Dispatcher.ResponseData;

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
  return new WanError({ kind: 'aborted', message: 'Cancelled.' });
}

const NOT_REACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL']);

function errorCode(error: unknown): string | undefined {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof cause === 'string' ? cause : undefined;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/** Maps a thrown network error to WanError; `requestMayHaveBeenSent` is true unless the connection never opened. */
export function networkError(error: unknown, url: URL, options: Pick<SendOptions, 'signal' | 'timeouts'>): WanError {
  if (error instanceof WanError) return error;
  if (options.signal?.aborted) return abortedError();
  const host = url.host;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  if (code && NOT_REACHED.has(code)) {
    const what = code === 'ECONNREFUSED' ? 'the connection was refused' : code.startsWith('EAI') || code === 'ENOTFOUND' ? 'the host name was not found' : 'the host is unreachable';
    return new WanError({ kind: 'network', message: `Could not connect to ${host}: ${what} (${code}).`, retryable: true, requestMayHaveBeenSent: false, cause: error });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new WanError({ kind: 'timeout', message: `Could not connect to ${host} within ${seconds(options.timeouts.connectMs)}.`, retryable: true, requestMayHaveBeenSent: false, cause: error });
  }
  if (code && /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/.test(code)) {
    return new WanError({
      kind: 'network',
      message: `The secure connection to ${host} failed: ${detail} (${code}).`,
      retryable: false,
      requestMayHaveBeenSent: false,
      advice: 'Check the computer\'s clock and any proxy or antivirus that intercepts HTTPS.',
      cause: error,
    });
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new WanError({ kind: 'timeout', message: `${host} did not answer within ${seconds(options.timeouts.headersMs)}.`, retryable: true, requestMayHaveBeenSent: true, cause: error });
  }
  if (code === 'UND_ERR_BODY_TIMEOUT') {
    return new WanError({ kind: 'timeout', message: `The answer from ${host} stalled for more than ${seconds(options.timeouts.bodyMs)}.`, retryable: true, requestMayHaveBeenSent: true, cause: error });
  }
  // Anything else happened on an open connection (reset, closed early): the request may have arrived.
  return new WanError({
    kind: 'network',
    message: `The connection to ${host} broke before the answer was complete: ${detail}${code ? ` (${code})` : ''}.`,
    retryable: true,
    requestMayHaveBeenSent: true,
    cause: error,
  });
}
