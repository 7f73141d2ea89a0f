// A Wan-compatible API server on loopback for tests and the sandbox: real HTTP, scripted tasks, injectable faults.
// It implements the API from wan-api.md on its own (no code shared with the client), so it can catch client mistakes.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { TaskStatus } from '../../src/wan/task';
import { asRecord, judgeCreate, type Acceptance, type ServiceModel } from './serviceModels';
import { UploadHost } from './uploadHost';

export type Outcome = 'SUCCEEDED' | 'FAILED' | 'CANCELED' | 'UNKNOWN';

export interface TaskScript {
  /** default 100 */
  pendingMs?: number;
  /** default 300 */
  runningMs?: number;
  /** default SUCCEEDED */
  outcome?: Outcome;
  code?: string;
  message?: string;
  /** which response shape queries answer with */
  shape?: 'native' | 'status';
  /** the status words: the service's (`SUCCEEDED`) or APIYI's (`completed`); default native, APIYI's for the `status` shape */
  words?: 'native' | 'apiyi';
  /** how the words are written; default as their vocabulary writes them (native upper case, APIYI's lower case) */
  wordCase?: 'upper' | 'lower' | 'title';
  /** the seconds the video came out (`usage.duration`); default the duration asked for, or 5 */
  outputSeconds?: number;
}

export interface ErrorReply {
  status: number;
  code?: string;
  message?: string;
  retryAfter?: string;
  /** sent as-is, e.g. an HTML 502 page */
  rawBody?: string;
  contentType?: string;
}

/** `hang` never answers until close; `answerAfterMs` (creates only) makes the task at once but answers that much later. */
export type Fault = ErrorReply | { drop: 'before-response' } | { hang: true } | { answerAfterMs: number };

export type Route = 'create' | 'query' | 'cancel' | 'list' | 'download' | 'policy';

export interface RecordedRequest {
  route: Route | 'other';
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json?: unknown;
  at: number;
}

export interface DownloadBehaviour {
  dropAfterBytes?: number;
  /** how many responses drop (default 1 when dropAfterBytes is set); counts down */
  dropTimes?: number;
  ignoreRange?: boolean;
  stallAfterBytes?: number;
  /** how many responses stall (default 1 when stallAfterBytes is set); counts down */
  stallTimes?: number;
  /** 403 AccessDenied XML, as object storage answers an expired signed link */
  expired?: boolean;
  /** no Content-Length: the body is chunked, so a dropped connection still shows as broken */
  withoutLength?: boolean;
  /** sends only this many bytes, without Content-Length, and closes the connection as if the answer were complete */
  cutOffAfterBytes?: number;
  /** served from the second request on: the object behind the link was replaced */
  replacedBy?: Buffer;
  /** answers a Range with 206 even when If-Range names another version, as some caches do */
  ignoreIfRange?: boolean;
  /** sends the whole video in this Content-Encoding (ignoring Range), although the client asked for identity */
  contentEncoding?: 'gzip' | 'br' | 'deflate' | 'compress';
}

export interface ServerTask {
  id: string;
  script: TaskScript;
  createdAt: number;
  body: unknown;
  canceled: boolean;
  status(now?: number): TaskStatus;
}

const PREFIX = '/api/v1';
const CREATE_PATH = `${PREFIX}/services/aigc/video-generation/video-synthesis`;
const BEIJING_OFFSET_MS = 8 * 3600_000;
const DROP_DELAY_MS = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const APIYI_WORDS: Record<TaskStatus, string> = {
  PENDING: 'queued',
  RUNNING: 'processing',
  SUSPENDED: 'suspended',
  SUCCEEDED: 'completed',
  FAILED: 'failed',
  CANCELED: 'cancelled',
  UNKNOWN: 'unknown',
};

type Json = Record<string, unknown>;

/** JSON.stringify writes 5.0 as 5, but the service writes Wan 3.0's seconds as floats: marked here, unmarked in sendJson. */
const FLOAT_MARK = '#float#';
const float = (value: number): string => `${FLOAT_MARK}${Number.isInteger(value) ? value.toFixed(1) : String(value)}`;
const FLOAT_MARKED = new RegExp(`"${FLOAT_MARK}(-?[0-9.]+)"`, 'g');

/** The fixture sits in test/fixtures of the repository, found from wherever this file runs (src or out/). */
function fixturePath(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'test', 'fixtures', 'sample.mp4');
    if (dirname(dir) === dir) throw new Error(`No package.json above ${__dirname}; cannot find test/fixtures/sample.mp4.`);
  }
}

/** "YYYY-MM-DD HH:mm:ss.SSS" in Beijing time, as the service writes times. */
function beijingTime(ms: number): string {
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().replace('T', ' ').slice(0, 23);
}

/** YYYYMMDDhhmmss (Beijing time) -> epoch ms. */
function parseStamp(value: string | null): number | undefined {
  const m = value ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(value) : null;
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - BEIJING_OFFSET_MS;
}

class ScriptedTask implements ServerTask {
  canceled = false;
  canceledAt?: number;

  constructor(
    readonly id: string,
    readonly script: TaskScript,
    readonly createdAt: number,
    readonly body: Json,
    readonly createRequestId: string,
    private readonly accepted: Acceptance,
  ) {}

  get model(): ServiceModel {
    return this.accepted.model;
  }

  /** The prompt the service kept (cut where its docs say so). */
  get prompt(): string {
    return this.accepted.prompt;
  }

  /** A body the service took but cannot run fails with InvalidParameter, whatever the script's outcome. */
  get failure(): { code?: string; message?: string } {
    return this.accepted.failure !== undefined ? { code: 'InvalidParameter', message: this.accepted.failure } : this.script;
  }

  get pendingMs(): number {
    return this.script.pendingMs ?? 100;
  }

  get runningMs(): number {
    return this.script.runningMs ?? 300;
  }

  get endsAt(): number {
    return this.canceledAt ?? this.createdAt + this.pendingMs + this.runningMs;
  }

  status(now = Date.now()): TaskStatus {
    if (this.canceled) return 'CANCELED';
    const age = now - this.createdAt;
    if (age < this.pendingMs) return 'PENDING';
    if (age < this.pendingMs + this.runningMs) return 'RUNNING';
    return this.accepted.failure !== undefined ? 'FAILED' : (this.script.outcome ?? 'SUCCEEDED');
  }

  get parameters(): Json {
    return asRecord(this.body.parameters) ?? {};
  }

  /** A status in the words and case the script asks for. */
  statusWord(status: TaskStatus): string {
    const apiyi = (this.script.words ?? (this.script.shape === 'status' ? 'apiyi' : 'native')) === 'apiyi';
    const word = apiyi ? APIYI_WORDS[status] : status;
    switch (this.script.wordCase) {
      case 'upper': return word.toUpperCase();
      case 'lower': return word.toLowerCase();
      case 'title': return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
      default: return word;
    }
  }
}

function routeOf(method: string, path: string): { route: Route | 'other'; id?: string } {
  if (method === 'POST' && path === CREATE_PATH) return { route: 'create' };
  if (method === 'GET' && path === `${PREFIX}/tasks`) return { route: 'list' };
  if (method === 'GET' && path === `${PREFIX}/uploads`) return { route: 'policy' };
  let m = /^\/api\/v1\/tasks\/([^/]+)$/.exec(path);
  if (m && method === 'GET') return { route: 'query', id: decodeURIComponent(m[1]) };
  m = /^\/api\/v1\/tasks\/([^/]+)\/cancel$/.exec(path);
  if (m && method === 'POST') return { route: 'cancel', id: decodeURIComponent(m[1]) };
  m = /^\/results\/([^/]+)\.mp4$/.exec(path);
  if (m && method === 'GET') return { route: 'download', id: decodeURIComponent(m[1]) };
  return { route: 'other' };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function ossError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n  <RequestId>${randomUUID()}</RequestId>\n  <HostId>results.test</HostId>\n</Error>\n`;
}

export class WanTestServer {
  readonly origin: string;
  readonly baseUrl: string;
  readonly video: Buffer;
  readonly requests: RecordedRequest[] = [];
  readonly tasks = new Map<string, ServerTask>();
  defaultScript: TaskScript = {};
  download: DownloadBehaviour = {};
  /** false: the policy call answers 404, as on APIYI or a custom endpoint */
  uploads = true;

  private readonly scripts: TaskScript[] = [];
  /** hashed once per video: the benchmark serves 200 MB */
  private readonly etags = new WeakMap<Buffer, string>();
  private readonly faults = new Map<Route, Fault[]>();

  private constructor(
    private readonly server: Server,
    port: number,
    video: Buffer,
    private readonly apiKey: string | undefined,
    private readonly listSupported: boolean,
    /** the upload host of the temporary upload, on a port of its own */
    readonly uploadHost: UploadHost,
  ) {
    this.origin = `http://127.0.0.1:${port}`;
    this.baseUrl = `${this.origin}${PREFIX}`;
    this.video = video;
    this.etagOf(video); // before any download is timed
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) this.sendJson(res, 500, { code: 'InternalError', message: String(error) });
      });
    });
  }

  static async start(options: { port?: number; apiKey?: string; video?: Buffer; listSupported?: boolean } = {}): Promise<WanTestServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const video = options.video ?? readFileSync(fixturePath());
    return new WanTestServer(server, port, video, options.apiKey, options.listSupported ?? true, await UploadHost.start());
  }

  requestsTo(route: Route): RecordedRequest[] {
    return this.requests.filter((request) => request.route === route);
  }

  scriptNextTasks(...scripts: TaskScript[]): void {
    this.scripts.push(...scripts);
  }

  failNext(route: Route, ...faults: Fault[]): void {
    const queue = this.faults.get(route) ?? [];
    queue.push(...faults);
    this.faults.set(route, queue);
  }

  videoUrlFor(taskId: string): string {
    const task = this.tasks.get(taskId);
    const expires = Math.floor(((task?.createdAt ?? Date.now()) + 24 * 3600_000) / 1000);
    // Shaped like a signed object-storage link: the query must survive the download untouched.
    return `${this.origin}/results/${encodeURIComponent(taskId)}.mp4?Expires=${expires}&OSSAccessKeyId=test&Signature=test%3D`;
  }

  async close(): Promise<void> {
    // Hanging and stalled requests would keep close() waiting forever.
    this.server.closeAllConnections();
    await Promise.all([new Promise<void>((resolve) => this.server.close(() => resolve())), this.uploadHost.close()]);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', this.origin);
    const { route, id } = routeOf(method, url.pathname);
    let json: unknown;
    try {
      json = body === '' ? undefined : JSON.parse(body);
    } catch {
      json = undefined;
    }
    this.requests.push({ route, method, path: url.pathname + url.search, headers: req.headers, body, json, at: Date.now() });

    let fault = route === 'other' ? undefined : this.faults.get(route)?.shift();
    let answerAfterMs = 0;
    if (fault && 'answerAfterMs' in fault) {
      answerAfterMs = fault.answerAfterMs;
      fault = undefined;
    }
    if (fault) return this.applyFault(fault, req, res);
    if (route === 'download') return this.answerDownload(req, res, id ?? '');
    if (route === 'other') return this.sendJson(res, 404, { code: 'NotFound', message: `No such API: ${method} ${url.pathname}` });

    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!auth) return this.sendJson(res, 401, { code: 'InvalidApiKey', message: 'No API-key provided.' });
    if (this.apiKey !== undefined && auth[1] !== this.apiKey) return this.sendJson(res, 401, { code: 'InvalidApiKey', message: 'Invalid API-key provided.' });

    switch (route) {
      case 'create':
        return this.answerCreate(req, res, json, answerAfterMs);
      case 'query':
        return this.answerQuery(res, id ?? '');
      case 'cancel':
        return this.answerCancel(res, id ?? '');
      case 'list':
        return this.answerList(res, url.searchParams);
      case 'policy':
        return this.answerPolicy(res, url.searchParams);
    }
  }

  private applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
    if ('drop' in fault) {
      req.socket.destroy();
      return;
    }
    if ('hang' in fault || 'answerAfterMs' in fault) return; // answered by close() destroying the socket
    const headers: Record<string, string> = {};
    if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
    if (fault.rawBody !== undefined) {
      res.writeHead(fault.status, { ...headers, 'content-type': fault.contentType ?? 'text/html', 'content-length': Buffer.byteLength(fault.rawBody) });
      res.end(fault.rawBody);
      return;
    }
    const answer: Json = {};
    if (fault.code !== undefined) answer.code = fault.code;
    if (fault.message !== undefined) answer.message = fault.message;
    this.sendJson(res, fault.status, answer, headers);
  }

  private sendJson(res: ServerResponse, status: number, answer: Json, headers: Record<string, string> = {}): void {
    const requestId = randomUUID();
    const text = JSON.stringify({ ...answer, request_id: requestId }).replace(FLOAT_MARKED, '$1');
    res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-request-id': requestId });
    res.end(text);
  }

  private answerCreate(req: IncomingMessage, res: ServerResponse, json: unknown, answerAfterMs = 0): void {
    if (req.headers['x-dashscope-async'] !== 'enable') {
      return this.sendJson(res, 403, { code: 'AccessDenied', message: 'current user api does not support synchronous calls' });
    }
    const judged = judgeCreate(json);
    if ('status' in judged) return this.sendJson(res, judged.status, { code: judged.code, message: judged.message });
    const resolved = this.resolveOss(req, json as Json);
    if (resolved && 'status' in resolved) return this.sendJson(res, resolved.status, { code: resolved.code, message: resolved.message });
    const verdict: Acceptance = { ...judged, failure: judged.failure ?? resolved?.failure };
    const id = randomUUID();
    const requestId = randomUUID();
    const script = this.scripts.shift() ?? { ...this.defaultScript };
    this.tasks.set(id, new ScriptedTask(id, script, Date.now(), json as Json, requestId, verdict));
    const text = JSON.stringify({ output: { task_id: id, task_status: 'PENDING' }, request_id: requestId });
    const answer = () => {
      if (res.destroyed) return; // the client gave up (or closed) before the answer
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (answerAfterMs > 0) setTimeout(answer, answerAfterMs);
    else answer();
  }

  /**
   * `oss://` URLs resolve only with the header, only to objects that were uploaded, and only for the model their policy
   * named (another model: the task fails, as the upload is bound to it).
   */
  private resolveOss(req: IncomingMessage, body: Json): { status: 400; code: string; message: string } | { failure: string } | undefined {
    const media = asRecord(body.input)?.media;
    const urls = (Array.isArray(media) ? media : []).flatMap((item) => {
      const { url, reference_voice: voice } = asRecord(item) ?? {};
      return [url, voice].filter((value): value is string => typeof value === 'string' && value.startsWith('oss://'));
    });
    if (urls.length === 0) return undefined;
    const invalid = { status: 400 as const, code: 'InvalidParameter', message: 'The provided URL does not appear to be valid. Ensure it is correctly formatted.' };
    if (req.headers['x-dashscope-ossresourceresolve'] !== 'enable') return invalid;
    for (const url of urls) {
      const object = this.uploadHost.objects.get(url.slice('oss://'.length));
      if (!object) return invalid;
      if (object.model !== body.model) {
        return { failure: `The file ${url} was uploaded for model ${object.model} and cannot be used by ${String(body.model)}: upload it again for this model.` };
      }
    }
    return undefined;
  }

  private answerPolicy(res: ServerResponse, query: URLSearchParams): void {
    if (!this.uploads) return this.sendJson(res, 404, { code: 'NotFound', message: 'No such API: GET /api/v1/uploads' });
    const model = query.get('model');
    if (query.get('action') !== 'getPolicy' || !model) {
      return this.sendJson(res, 400, { code: 'InvalidParameter', message: 'action=getPolicy and model are required.' });
    }
    return this.sendJson(res, 200, { data: this.uploadHost.issuePolicy(model) });
  }

  private answerQuery(res: ServerResponse, id: string): void {
    const task = this.tasks.get(id) as ScriptedTask | undefined;
    if (!task) {
      // A well-formed id the service does not know is UNKNOWN (expired or never existed); anything else is 404.
      if (UUID.test(id)) return this.sendJson(res, 200, { output: { task_id: id, task_status: 'UNKNOWN' } });
      return this.sendJson(res, 404, { code: 'NotFound', message: `Task ${id} not found.` });
    }
    return task.script.shape === 'status' ? this.sendJson(res, 200, this.statusShape(task)) : this.sendJson(res, 200, this.nativeShape(task));
  }

  private nativeShape(task: ScriptedTask): Json {
    const status = task.status();
    const output: Json = { task_id: task.id, task_status: task.statusWord(status) };
    if (status === 'UNKNOWN') return { output };
    output.submit_time = beijingTime(task.createdAt);
    if (status !== 'PENDING' && !(status === 'CANCELED' && task.canceled)) output.scheduled_time = beijingTime(task.createdAt + task.pendingMs);
    if (status === 'PENDING' || status === 'RUNNING') output.task_metrics = { TOTAL: 1, SUCCEEDED: 0, FAILED: 0 };
    else output.end_time = beijingTime(task.endsAt);
    const answer: Json = { output };
    if (status === 'FAILED') {
      const { code, message } = task.failure;
      if (code !== undefined) output.code = code;
      if (message !== undefined) output.message = message;
    }
    if (status === 'SUCCEEDED') {
      output.orig_prompt = task.prompt;
      if (task.parameters.prompt_extend !== false) output.actual_prompt = `${task.prompt} (rewritten)`;
      output.video_url = this.videoUrlFor(task.id);
      answer.usage = this.usage(task);
    }
    return answer;
  }

  private statusShape(task: ScriptedTask): Json {
    const status = task.status();
    const answer: Json = { task_id: task.id, status: task.statusWord(status) };
    if (status === 'UNKNOWN') return answer;
    answer.created_at = Math.floor(task.createdAt / 1000); // epoch seconds, as OpenAI-style gateways write them
    if (status === 'SUCCEEDED') {
      answer.result_url = this.videoUrlFor(task.id);
      answer.completed_at = Math.floor(task.endsAt / 1000);
      answer.usage = this.usage(task);
    }
    const { code, message } = task.failure;
    if (status === 'FAILED' && (code !== undefined || message !== undefined)) answer.error = { code, message };
    return answer;
  }

  private usage(task: ScriptedTask): Json {
    const asked = task.parameters.duration;
    // -1 (the model chooses) and 0 (the input's length) say nothing of the length; 5 s unless the script says.
    const seconds = task.script.outputSeconds ?? (typeof asked === 'number' && asked > 0 ? asked : 5);
    const duration = task.model.usageFps === undefined ? seconds : float(seconds);
    const resolution = task.parameters.resolution ?? '1080P';
    // SR comes as a string for 720P and a number otherwise, since the real service is not consistent either.
    const sr = resolution === '720P' ? '720' : resolution === '480P' ? 480 : 1080;
    // adaptive follows the input; without one the video comes out 16:9.
    const ratio = typeof task.parameters.ratio === 'string' && task.parameters.ratio !== 'adaptive' ? task.parameters.ratio : '16:9';
    const usage: Json = { duration, input_video_duration: 0, output_video_duration: duration, video_count: 1, ratio, SR: sr };
    if (task.model.usageFps !== undefined) usage.fps = task.model.usageFps;
    return usage;
  }

  private answerCancel(res: ServerResponse, id: string): void {
    const task = this.tasks.get(id) as ScriptedTask | undefined;
    if (!task) return this.sendJson(res, 404, { code: 'NotFound', message: `Task ${id} not found.` });
    if (task.status() !== 'PENDING') {
      return this.sendJson(res, 400, { code: 'UnsupportedOperation', message: 'Failed to cancel the task, please confirm if the task is in PENDING status.' });
    }
    task.canceled = true;
    task.canceledAt = Date.now();
    return this.sendJson(res, 200, {});
  }

  private answerList(res: ServerResponse, query: URLSearchParams): void {
    if (!this.listSupported) return this.sendJson(res, 404, { code: 'NotFound', message: 'Listing tasks is not supported here.' });
    const start = parseStamp(query.get('start_time'));
    const end = parseStamp(query.get('end_time'));
    if (start === undefined || end === undefined) return this.sendJson(res, 400, { code: 'InvalidParameter', message: 'start_time and end_time are required, as YYYYMMDDhhmmss.' });
    if (end < start || end - start > 24 * 3600_000) return this.sendJson(res, 400, { code: 'InvalidParameter', message: 'The time range must be within 24 hours.' });
    const pageNo = Number(query.get('page_no') ?? 1);
    const pageSize = Number(query.get('page_size') ?? 10);
    const model = query.get('model_name');
    const wanted = query.get('status');
    // The stamps have whole seconds, so a task is in the window if its second is.
    const inWindow = [...this.tasks.values()]
      .filter((task) => Math.floor(task.createdAt / 1000) * 1000 >= start && Math.floor(task.createdAt / 1000) * 1000 <= end)
      .filter((task) => model === null || asRecord(task.body)?.model === model)
      .filter((task) => wanted === null || task.status() === wanted)
      .sort((a, b) => b.createdAt - a.createdAt) as ScriptedTask[];
    const page = inWindow.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    const data = page.map((task) => {
      const status = task.status();
      const item: Json = {
        api_key_id: '1',
        gmt_create: task.createdAt,
        model_name: asRecord(task.body)?.model,
        region: 'cn-beijing',
        request_id: task.createRequestId,
        status,
        task_id: task.id,
      };
      if (status !== 'PENDING') item.start_time = task.createdAt + task.pendingMs;
      if (status !== 'PENDING' && status !== 'RUNNING') item.end_time = task.endsAt;
      return item;
    });
    return this.sendJson(res, 200, { data, total: inWindow.length, total_page: Math.ceil(inWindow.length / pageSize), page_no: pageNo, page_size: pageSize });
  }

  private etagOf(video: Buffer): string {
    let etag = this.etags.get(video);
    if (!etag) {
      etag = `"${createHash('md5').update(video).digest('hex')}"`;
      this.etags.set(video, etag);
    }
    return etag;
  }

  private answerDownload(req: IncomingMessage, res: ServerResponse, id: string): void {
    const xml = (status: number, code: string, message: string) => {
      const text = ossError(code, message);
      res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (this.download.expired) return xml(403, 'AccessDenied', 'Request has expired.');
    if (this.tasks.get(id)?.status() !== 'SUCCEEDED') return xml(404, 'NoSuchKey', 'The specified key does not exist.');

    const behaviour = this.download;
    const video = behaviour.replacedBy && this.requestsTo('download').length > 1 ? behaviour.replacedBy : this.video;
    const etag = this.etagOf(video);
    const size = video.length;
    const ifRange = req.headers['if-range'];
    const sameVersion = ifRange === undefined || ifRange === etag || behaviour.ignoreIfRange;
    const range = behaviour.ignoreRange || behaviour.contentEncoding || !sameVersion ? null : /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let payload = video;
    const headers: Record<string, string | number> = { 'content-type': 'video/mp4', etag };
    if (!behaviour.ignoreRange) headers['accept-ranges'] = 'bytes';
    let status = 200;
    if (range) {
      const first = Number(range[1]);
      const last = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
      if (first >= size || first > last) {
        res.writeHead(416, { 'content-range': `bytes */${size}` });
        res.end();
        return;
      }
      payload = video.subarray(first, last + 1);
      headers['content-range'] = `bytes ${first}-${last}/${size}`;
      status = 206;
    }
    if (behaviour.contentEncoding) {
      // 'compress' stands for an encoding the client cannot decode (the bytes are gzip's).
      const encode = { gzip: gzipSync, br: brotliCompressSync, deflate: deflateSync, compress: gzipSync }[behaviour.contentEncoding];
      payload = encode(payload);
      headers['content-encoding'] = behaviour.contentEncoding;
    }
    if (behaviour.cutOffAfterBytes !== undefined) {
      // No length and no chunks: the body ends when the connection closes, so the client cannot tell it was cut.
      res.useChunkedEncodingByDefault = false;
      res.shouldKeepAlive = false;
      res.writeHead(status, headers);
      res.end(payload.subarray(0, behaviour.cutOffAfterBytes));
      behaviour.cutOffAfterBytes = undefined;
      return;
    }
    if (!behaviour.withoutLength) headers['content-length'] = payload.length;
    res.writeHead(status, headers);

    if (behaviour.dropAfterBytes !== undefined && (behaviour.dropTimes ?? 1) > 0 && behaviour.dropAfterBytes <= payload.length) {
      behaviour.dropTimes = (behaviour.dropTimes ?? 1) - 1;
      // The break comes a moment after the bytes, as on a real network, so the client has received them.
      res.write(payload.subarray(0, behaviour.dropAfterBytes), () => setTimeout(() => req.socket.destroy(), DROP_DELAY_MS));
      return;
    }
    if (behaviour.stallAfterBytes !== undefined && (behaviour.stallTimes ?? 1) > 0 && behaviour.stallAfterBytes < payload.length) {
      behaviour.stallTimes = (behaviour.stallTimes ?? 1) - 1;
      res.write(payload.subarray(0, behaviour.stallAfterBytes)); // and nothing more: the client must time out
      return;
    }
    res.end(payload);
  }
}
