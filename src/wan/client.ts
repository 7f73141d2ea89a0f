// The Wan API client: create, query, cancel and list tasks. One attempt per call; retrying is the caller's decision.
import * as l10n from '@vscode/l10n';
import { asRecord, type Json } from '../common/json';
import { checkBaseUrl } from './endpoints';
import { WanError, createMayHaveStarted } from './errors';
import { errorFromHttpResponse, textSnippet } from './httpErrors';
import { headerValue, networkError, send, type HttpResponse, type SendOptions, type Timeouts } from './http';
import { toCreateBody, type GenerationParams, type SentMedia } from './params';
import { beijingStamp, parseTask, type TaskStatus, type WanTask } from './task';

export interface RequestLogEntry {
  method: string;
  /** path and query without the host; never the key */
  path: string;
  status?: number;
  requestId?: string;
  durationMs: number;
  error?: string;
}

export interface WanClientOptions {
  baseUrl: string;
  apiKey: string;
  timeouts?: Timeouts;
  onRequest?: (entry: RequestLogEntry) => void;
}

const DEFAULT_TIMEOUTS: Required<Timeouts> = { connectMs: 15_000, headersMs: 60_000, bodyMs: 30_000 };
// API answers are small; a bigger one is not the API and is not worth holding in memory.
const MAX_ANSWER_BYTES = 2_000_000;
interface Answer {
  status: number;
  json: Json;
}

interface CallOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** adds X-DashScope-Async: enable (creates only) */
  async?: boolean;
  /** adds X-DashScope-OssResourceResolve: enable (a create with oss:// media) */
  ossResolve?: boolean;
  /** a JSON 404 means the task is unknown */
  taskLookup?: boolean;
}

export class WanClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeouts: Required<Timeouts>;
  private readonly onRequest?: (entry: RequestLogEntry) => void;

  constructor(options: WanClientOptions) {
    const checked = checkBaseUrl(options.baseUrl);
    if ('problem' in checked) throw new WanError({ kind: 'insecure-url', message: checked.problem });
    const apiKey = options.apiKey.trim();
    if (apiKey === '') throw new WanError({ kind: 'auth', message: l10n.t('No API key is set.'), advice: l10n.t('Set the API key for the chosen endpoint.') });
    // A header cannot carry spaces or non-ASCII characters; catching it here keeps the key out of undici's error.
    if (!/^[\x21-\x7e]+$/.test(apiKey)) {
      throw new WanError({
        kind: 'auth',
        message: l10n.t('The API key contains spaces or characters that cannot be part of a key.'),
        advice: l10n.t('Paste the key again, exactly as the console shows it.'),
      });
    }
    this.baseUrl = checked.url;
    this.apiKey = apiKey;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.onRequest = options.onRequest;
  }

  /** `media`: what the transport made of `params.media` (inlined, uploaded or linked). */
  async createTask(params: GenerationParams, signal?: AbortSignal, media?: readonly SentMedia[]): Promise<WanTask> {
    const body = toCreateBody(params, media);
    // A temporary upload's oss:// URL resolves only with this header.
    const ossResolve = body.input.media?.some((item) => item.url.startsWith('oss://') || item.reference_voice?.startsWith('oss://')) ?? false;
    let answer: Answer;
    try {
      answer = await this.call('POST', '/services/aigc/video-generation/video-synthesis', { body, async: true, ossResolve, signal });
    } catch (error) {
      throw createMayHaveStarted(error);
    }
    try {
      return this.taskFrom(answer);
    } catch (error) {
      throw createMayHaveStarted(error, answer.status);
    }
  }

  async getTask(taskId: string, signal?: AbortSignal): Promise<WanTask> {
    const answer = await this.call('GET', `/tasks/${encodeURIComponent(taskId)}`, { signal, taskLookup: true });
    return this.taskFrom(answer);
  }

  async cancelTask(taskId: string, signal?: AbortSignal): Promise<{ requestId?: string }> {
    const answer = await this.call('POST', `/tasks/${encodeURIComponent(taskId)}/cancel`, { signal, taskLookup: true });
    const requestId = answer.json.request_id;
    return typeof requestId === 'string' ? { requestId } : {};
  }

  async listTasks(
    query: { startTime: Date; endTime: Date; modelName?: string; status?: TaskStatus; pageNo?: number; pageSize?: number },
    signal?: AbortSignal,
  ): Promise<{ tasks: WanTask[]; total?: number }> {
    const search = new URLSearchParams({ start_time: beijingStamp(query.startTime), end_time: beijingStamp(query.endTime) });
    if (query.modelName) search.set('model_name', query.modelName);
    if (query.status) search.set('status', query.status);
    if (query.pageNo !== undefined) search.set('page_no', String(query.pageNo));
    if (query.pageSize !== undefined) search.set('page_size', String(query.pageSize));
    const answer = await this.call('GET', `/tasks?${search.toString()}`, { signal });
    const items = answer.json.data;
    if (!Array.isArray(items)) {
      throw new WanError({ kind: 'bad-response', status: answer.status, message: 'The task list from the service has no "data" list.' });
    }
    const total = answer.json.total;
    const tasks = items.map((item) => parseTask(item));
    return typeof total === 'number' ? { tasks, total } : { tasks };
  }

  private taskFrom(answer: Answer): WanTask {
    const { json } = answer;
    // Some gateways answer 200 with an error body; report its code rather than "not a task".
    if (typeof json.code === 'string' && json.output === undefined && json.task_id === undefined) {
      throw this.withoutKey(errorFromHttpResponse({ status: answer.status, body: JSON.stringify(json), host: new URL(this.baseUrl).host }));
    }
    return parseTask(json);
  }

  private async call(method: SendOptions['method'], path: string, options: CallOptions): Promise<Answer> {
    const url = new URL(this.baseUrl + path);
    const entry: RequestLogEntry = { method, path: url.pathname + url.search, durationMs: 0 };
    const started = Date.now();
    const headers: Record<string, string> = { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (options.async) headers['x-dashscope-async'] = 'enable';
    if (options.ossResolve) headers['x-dashscope-ossresourceresolve'] = 'enable';
    const sendOptions: SendOptions = {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      timeouts: this.timeouts,
    };
    try {
      const response = await send(url, sendOptions);
      entry.status = response.statusCode;
      const text = await readText(response, url, sendOptions);
      const requestIdHeader = headerValue(response, 'x-request-id');
      if (response.statusCode >= 200 && response.statusCode < 300) {
        const json = parseAnswer(text, response.statusCode);
        entry.requestId = typeof json.request_id === 'string' ? json.request_id : requestIdHeader;
        return { status: response.statusCode, json };
      }
      if (response.statusCode >= 300 && response.statusCode < 400) {
        // Following it could carry the key to another host.
        throw new WanError({
          kind: 'bad-response',
          status: response.statusCode,
          message: l10n.t('The service answered with a redirect (HTTP {0}) to {1}, which is not followed.', response.statusCode, headerValue(response, 'location') ?? l10n.t('another address')),
          advice: l10n.t('Check the base URL: set it to the address the API really lives at.'),
        });
      }
      throw errorFromHttpResponse({
        status: response.statusCode,
        body: text,
        retryAfter: headerValue(response, 'retry-after'),
        requestIdHeader,
        taskLookup: options.taskLookup,
        host: url.host,
      });
    } catch (error) {
      const failure = this.withoutKey(networkError(error, url, sendOptions));
      entry.error = failure.message;
      entry.requestId ??= failure.requestId;
      throw failure;
    } finally {
      entry.durationMs = Date.now() - started;
      this.onRequest?.(entry);
    }
  }

  /** The service or a proxy might echo the key back; it must not reach a message or a log. */
  private withoutKey(error: WanError): WanError {
    if (!error.message.includes(this.apiKey)) return error;
    return new WanError({ ...error, message: error.message.split(this.apiKey).join('***'), cause: error.cause });
  }
}

/** An answer's text, refused beyond the size no API answer has. */
export async function readText(response: HttpResponse, url: URL, options: SendOptions): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > MAX_ANSWER_BYTES) {
        response.body.destroy();
        throw new WanError({
          kind: 'bad-response',
          status: response.statusCode,
          message: l10n.t('The answer from {0} is larger than {1} MB, which no API answer is.', url.host, MAX_ANSWER_BYTES / 1_000_000),
        });
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
    throw networkError(error, url, options);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseAnswer(text: string, status: number): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const json = asRecord(parsed);
  if (!json) {
    const snippet = textSnippet(text);
    const message = snippet
      ? l10n.t('The service answered HTTP {0}, but not with a JSON object: "{1}".', status, snippet)
      : l10n.t('The service answered HTTP {0}, but not with a JSON object.', status);
    throw new WanError({ kind: 'bad-response', status, message });
  }
  return json;
}
