// The temporary upload (wan-models.md): a policy from the API host, then the file as a multipart POST to the upload
// host, streamed from disk, and an `oss://` URL the create can use for 48 h. The key goes to the API host only: the
// policy's signature authorises the upload.
import { randomUUID } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import * as l10n from '@vscode/l10n';
import { asRecord } from '../common/json';
import { silentLog, type Log } from '../common/log';
import { errorMessage } from '../common/text';
import { readText } from './client';
import { checkBaseUrl, isLoopbackHost } from './endpoints';
import { WanError } from './errors';
import { errorFromHttpResponse, textSnippet } from './httpErrors';
import { abortedError, headerValue, networkError, send, type SendOptions, type Timeouts } from './http';

export interface WanUploaderOptions {
  baseUrl: string;
  apiKey: string;
  log?: Log;
  timeouts?: Timeouts;
  /** the first wait before a retry; it doubles each time (tests shorten it) */
  retryDelayMs?: number;
}

interface Policy {
  policy: string;
  signature: string;
  uploadDir: string;
  host: URL;
  accessKeyId: string;
  acl: string;
  forbidOverwrite: string;
  maxBytes?: number;
}

const DEFAULT_TIMEOUTS: Required<Timeouts> = { connectMs: 15_000, headersMs: 60_000, bodyMs: 30_000 };
/** Attempts of each step (the policy call, the POST) when the failure may pass: 5xx, 429, a broken connection. */
const ATTEMPTS = 3;
const DEFAULT_RETRY_DELAY_MS = 1000;
/** What the policy call answers where an endpoint has no upload but does not say 404. */
const NO_UPLOAD = /upload|not supported|unsupported|no such api/i;

export class WanUploader {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly log: Log;
  private readonly timeouts: Required<Timeouts>;
  private readonly retryDelayMs: number;

  constructor(options: WanUploaderOptions) {
    const checked = checkBaseUrl(options.baseUrl);
    if ('problem' in checked) throw new WanError({ kind: 'insecure-url', message: checked.problem });
    this.baseUrl = checked.url;
    this.apiKey = options.apiKey.trim();
    this.log = options.log ?? silentLog;
    this.timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  }

  /** Uploads `file` for `model` (the create must name exactly that model) and resolves to its `oss://` URL. */
  async upload(file: string, model: string, signal: AbortSignal, onProgress: (sentBytes: number, totalBytes: number) => void): Promise<string> {
    const name = basename(file);
    let size: number;
    try {
      size = (await fs.stat(file)).size;
    } catch (error) {
      throw new WanError({ kind: 'invalid-request', message: l10n.t('Cannot read {0} to upload it: {1}.', file, errorMessage(error)), advice: l10n.t('Check that the file exists and can be read.') });
    }
    let policy = await this.retrying(() => this.getPolicy(model, signal), signal);
    if (policy.maxBytes !== undefined && size > policy.maxBytes) {
      throw new WanError({
        kind: 'invalid-request',
        message: l10n.t('{0} is {1} MB; the temporary upload takes at most {2} MB.', name, megabytes(size), megabytes(policy.maxBytes)),
        advice: l10n.t('Use a smaller file, or give it as a public https:// link.'),
      });
    }
    let renewed = false;
    for (;;) {
      this.log.info(`uploading ${name} (${size} bytes) for ${model} to ${policy.host.host}`);
      const url = await this.retrying(() => this.post(file, size, policy, signal, onProgress), signal);
      if (url !== 'expired') {
        this.log.info(`uploaded ${name} as ${url}`);
        return url;
      }
      // The policy ran out while the file was on its way (it lives 300 s): one fresh policy, one more upload.
      if (renewed) {
        throw new WanError({
          kind: 'server',
          status: 403,
          message: l10n.t('The upload of {0} took longer than its upload policy lasts, twice.', name),
          advice: l10n.t('Try again on a faster connection, or give the file as a public https:// link.'),
        });
      }
      renewed = true;
      this.log.info(`the upload policy expired during the upload of ${name}; asking for a new one`);
      policy = await this.retrying(() => this.getPolicy(model, signal), signal);
    }
  }

  private async retrying<T>(step: () => Promise<T>, signal: AbortSignal): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        if (!(error instanceof WanError) || !error.retryable || attempt >= ATTEMPTS || signal.aborted) throw error;
        const delay = error.retryAfterMs ?? this.retryDelayMs * 2 ** (attempt - 1);
        this.log.warn(`${error.message} Trying again in ${delay} ms (attempt ${attempt + 1} of ${ATTEMPTS}).`);
        try {
          await sleep(delay, undefined, { signal });
        } catch {
          throw abortedError();
        }
      }
    }
  }

  private async getPolicy(model: string, signal: AbortSignal): Promise<Policy> {
    const url = new URL(`${this.baseUrl}/uploads?${new URLSearchParams({ action: 'getPolicy', model }).toString()}`);
    const options: SendOptions = { method: 'GET', headers: { authorization: `Bearer ${this.apiKey}`, accept: 'application/json' }, signal, timeouts: this.timeouts };
    try {
      const response = await send(url, options);
      const text = await readText(response, url, options);
      const status = response.statusCode;
      if (status === 404 || ((status === 400 || status === 403) && NO_UPLOAD.test(text))) {
        throw new WanError({
          kind: 'upload-unavailable',
          status,
          host: url.host,
          message: l10n.t('{0} offers no temporary upload for local files (its upload policy call answered HTTP {1}).', url.host, status),
        });
      }
      if (status < 200 || status >= 300) {
        // A redirect is not followed: it could carry the key to another host.
        throw errorFromHttpResponse({ status, body: text, retryAfter: headerValue(response, 'retry-after'), requestIdHeader: headerValue(response, 'x-request-id'), host: url.host });
      }
      return policyFrom(text, url.host);
    } catch (error) {
      const failure = networkError(error, url, options);
      // The service or a proxy might echo the key back; it must not reach a message or a log.
      if (this.apiKey === '' || !failure.message.includes(this.apiKey)) throw failure;
      throw new WanError({ ...failure, message: failure.message.split(this.apiKey).join('***'), cause: failure.cause });
    }
  }

  /** One POST of the form; 'expired' when the policy ran out on the way. */
  private async post(file: string, size: number, policy: Policy, signal: AbortSignal, onProgress: (sentBytes: number, totalBytes: number) => void): Promise<string | 'expired'> {
    const name = basename(file);
    const key = `${policy.uploadDir}/${randomUUID()}-${safeName(name)}`;
    const boundary = `----WanUpload${randomUUID().replace(/-/g, '')}`;
    const fields: [string, string][] = [
      ['OSSAccessKeyId', policy.accessKeyId],
      ['Signature', policy.signature],
      ['policy', policy.policy],
      ['key', key],
      ['x-oss-object-acl', policy.acl],
      ['x-oss-forbid-overwrite', policy.forbidOverwrite],
      ['success_action_status', '200'],
    ];
    const head = Buffer.from(
      fields.map(([field, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`).join('')
        + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${safeName(name)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    let sent = 0;
    onProgress(0, size);
    // The file goes from disk to the socket a chunk at a time; only the small envelope is built in memory.
    async function* form(): AsyncGenerator<Buffer> {
      yield head;
      for await (const chunk of createReadStream(file, { highWaterMark: 512 * 1024 })) {
        sent += (chunk as Buffer).length;
        onProgress(sent, size);
        yield chunk as Buffer;
      }
      yield tail;
    }
    // No Authorization: the key never goes to the upload host.
    const options: SendOptions = {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + size + tail.length) },
      body: Readable.from(form(), { objectMode: false }),
      signal,
      timeouts: this.timeouts,
    };
    const host = policy.host.host;
    try {
      const response = await send(policy.host, options);
      const text = await readText(response, policy.host, options);
      const status = response.statusCode;
      if (status >= 200 && status < 300) return `oss://${key}`;
      const code = xmlTag(text, 'Code');
      const message = xmlTag(text, 'Message') ?? textSnippet(text);
      if (status === 403 && /policy expired/i.test(text)) return 'expired';
      const said = [code, message].filter((part) => part !== undefined && part !== '').join(': ');
      if (status === 429 || status >= 500) {
        throw new WanError({
          kind: 'server',
          status,
          code,
          host,
          retryable: true,
          message: said ? l10n.t('The upload host {0} failed (HTTP {1}: {2}).', host, status, said) : l10n.t('The upload host {0} failed (HTTP {1}).', host, status),
        });
      }
      throw new WanError({
        kind: status === 403 ? 'access' : 'invalid-request',
        status,
        code,
        host,
        message: said ? l10n.t('The upload host {0} refused {1} (HTTP {2}: {3}).', host, name, status, said) : l10n.t('The upload host {0} refused {1} (HTTP {2}).', host, name, status),
        advice: l10n.t('Try again; if the upload host keeps refusing, give the file as a public https:// link.'),
      });
    } catch (error) {
      const failure = networkError(error, policy.host, options);
      // A connection that never opened says so itself; one that broke says how far the file got.
      if ((failure.kind !== 'network' && failure.kind !== 'timeout') || !failure.requestMayHaveBeenSent) throw failure;
      throw new WanError({
        ...failure,
        message: l10n.t('The upload of {0} broke off after {1} of {2} MB: {3}', name, megabytes(sent), megabytes(size), failure.message),
        cause: failure.cause,
      });
    }
  }
}

function policyFrom(text: string, host: string): Policy {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const data = asRecord(asRecord(parsed)?.data) ?? {};
  const string = (field: string) => (typeof data[field] === 'string' && data[field] !== '' ? data[field] : undefined);
  const missing = ['policy', 'signature', 'upload_dir', 'upload_host', 'oss_access_key_id'].filter((field) => string(field) === undefined);
  if (missing.length > 0) {
    throw new WanError({ kind: 'bad-response', host, message: l10n.t('The upload policy from {0} lacks {1}.', host, missing.join(', ')) });
  }
  let uploadHost: URL | undefined;
  try {
    uploadHost = new URL(string('upload_host') ?? '');
  } catch {
    uploadHost = undefined;
  }
  // The file must not travel in the clear to another computer.
  if (!uploadHost || !(uploadHost.protocol === 'https:' || (uploadHost.protocol === 'http:' && isLoopbackHost(uploadHost.hostname)))) {
    throw new WanError({ kind: 'bad-response', host, message: l10n.t('The upload policy from {0} names an upload host that is not an https:// address: {1}.', host, textSnippet(string('upload_host') ?? '', 80)) });
  }
  const maxMb = data.max_file_size_mb;
  return {
    policy: string('policy') ?? '',
    signature: string('signature') ?? '',
    uploadDir: (string('upload_dir') ?? '').replace(/\/+$/, ''),
    host: uploadHost,
    accessKeyId: string('oss_access_key_id') ?? '',
    acl: string('x_oss_object_acl') ?? 'private',
    forbidOverwrite: string('x_oss_forbid_overwrite') ?? 'true',
    maxBytes: typeof maxMb === 'number' && maxMb > 0 ? maxMb * 1024 * 1024 : undefined,
  };
}

/** A name for the object's key: the extension and plain characters kept, the rest replaced. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').slice(-100) || 'file';
}

function xmlTag(text: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(text)?.[1]?.trim();
}

function megabytes(bytes: number): string {
  return (Math.round(bytes / 104_857.6) / 10).toString();
}
