// The temporary upload of wan-models.md, on its own: the policy the API host hands out, and an upload host on another
// loopback port that checks a multipart/form-data POST as the object storage does. The form is parsed as it streams
// in (the file is hashed, never held), so a 100 MB upload costs the server no memory either.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The fields the form must carry, in this order, before the file (which comes last). */
export const UPLOAD_FIELDS = ['OSSAccessKeyId', 'Signature', 'policy', 'key', 'x-oss-object-acl', 'x-oss-forbid-overwrite', 'success_action_status'] as const;

const ACCESS_KEY_ID = 'LTAI5tTestUploadKeyId';
const MAX_FILE_SIZE_MB = 1024;
const MAX_FIELDS_BYTES = 64 * 1024;

/** What the upload host does with the next POST; ErrorReply-like answers are sent as the storage's XML. */
export type UploadFault =
  | { status: number; code?: string; message?: string }
  | { dropAfterBytes: number };

export interface UploadBehaviour {
  /** expire_in_seconds of the next policies, one per policy call (fractions allowed); then 300 */
  expireInSeconds?: number[];
  /** the host stops reading for `pauseMs` once this many bytes of a request arrived (slows an upload past its policy) */
  pauseAfterBytes?: number;
  pauseMs?: number;
}

export interface UploadRecord {
  headers: IncomingHttpHeaders;
  /** the form's fields in the order they came (the file as `file`) */
  fieldOrder: string[];
  fields: Record<string, string>;
  fileBytes: number;
  status: number;
  /** the storage's error code when refused */
  code?: string;
}

export interface StoredObject {
  key: string;
  model: string;
  size: number;
  sha256: string;
  fileName?: string;
}

interface IssuedPolicy {
  model: string;
  uploadDir: string;
  expiresAt: number;
}

function ossXml(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  <Code>${code}</Code>\n  <Message>${message}</Message>\n  <RequestId>${randomUUID()}</RequestId>\n  <HostId>upload.test</HostId>\n</Error>\n`;
}

class Refusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

export class UploadHost {
  readonly origin: string;
  readonly records: UploadRecord[] = [];
  readonly objects = new Map<string, StoredObject>();
  behaviour: UploadBehaviour = {};
  private readonly faults: UploadFault[] = [];
  private readonly policies = new Map<string, IssuedPolicy>();
  private readonly secret = randomUUID();

  private constructor(private readonly server: Server) {
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.handle(req, res));
  }

  static async start(): Promise<UploadHost> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new UploadHost(server);
  }

  failNext(...faults: UploadFault[]): void {
    this.faults.push(...faults);
  }

  /** The `data` of the policy call's answer, for `model`. */
  issuePolicy(model: string, now = Date.now()): Record<string, unknown> {
    const expireInSeconds = this.behaviour.expireInSeconds?.shift() ?? 300;
    const uploadDir = `dashscope-instant/${createHash('md5').update(model).digest('hex').slice(0, 16)}/${new Date(now).toISOString().slice(0, 10)}/${randomUUID()}`;
    const expiresAt = now + expireInSeconds * 1000;
    const document = {
      expiration: new Date(expiresAt).toISOString(),
      conditions: [['content-length-range', 0, MAX_FILE_SIZE_MB * 1024 * 1024], ['starts-with', '$key', uploadDir]],
    };
    const policy = Buffer.from(JSON.stringify(document)).toString('base64');
    this.policies.set(policy, { model, uploadDir, expiresAt });
    return {
      policy,
      signature: this.sign(policy),
      upload_dir: uploadDir,
      upload_host: this.origin,
      expire_in_seconds: expireInSeconds,
      max_file_size_mb: MAX_FILE_SIZE_MB,
      capacity_limit_mb: 999_999_999,
      oss_access_key_id: ACCESS_KEY_ID,
      x_oss_object_acl: 'private',
      x_oss_forbid_overwrite: 'true',
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private sign(policy: string): string {
    return createHmac('sha1', this.secret).update(policy).digest('base64');
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const record: UploadRecord = { headers: req.headers, fieldOrder: [], fields: {}, fileBytes: 0, status: 0 };
    this.records.push(record);
    const answer = (status: number, code?: string, message?: string) => {
      record.status = status;
      record.code = code;
      if (res.destroyed) return;
      if (code === undefined) {
        res.writeHead(status, { 'content-length': 0 });
        res.end();
        return;
      }
      const text = ossXml(code, message ?? code);
      res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const fault = this.faults.shift();
    let received = 0;
    const pauseAt = this.behaviour.pauseAfterBytes;
    let paused = false;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (fault && 'dropAfterBytes' in fault && received >= fault.dropAfterBytes) req.socket.destroy();
      if (pauseAt !== undefined && !paused && received >= pauseAt) {
        paused = true;
        req.pause();
        setTimeout(() => req.resume(), this.behaviour.pauseMs ?? 0);
      }
    });
    if (fault && 'status' in fault) {
      req.resume();
      req.on('end', () => answer(fault.status, fault.code ?? 'InternalError', fault.message ?? 'We encountered an internal error. Please try again.'));
      return;
    }
    if (fault) return; // dropped above once enough bytes came
    this.receive(req, record).then(
      (object) => {
        this.objects.set(object.key, object);
        const status = record.fields.success_action_status === '200' ? 200 : 204;
        answer(status);
      },
      (error: unknown) => {
        if (error instanceof Refusal) {
          // The rest of the body is read first, so the client gets the answer rather than a broken pipe.
          req.resume();
          if (req.readableEnded) answer(error.status, error.code, error.message);
          else req.on('end', () => answer(error.status, error.code, error.message));
        } else if (!res.destroyed) answer(500, 'InternalError', String(error));
      },
    );
  }

  /** Reads the form as it streams in; resolves to the object it stored, or rejects with a Refusal. */
  private receive(req: IncomingMessage, record: UploadRecord): Promise<StoredObject> {
    return new Promise<StoredObject>((resolve, reject) => {
      if (req.method !== 'POST') return reject(new Refusal(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.'));
      // The API key must never come here: the policy's signature is the only authorisation.
      if (req.headers.authorization !== undefined) {
        return reject(new Refusal(400, 'InvalidArgument', 'Authorization header is not allowed with a POST policy upload.'));
      }
      const boundary = /^multipart\/form-data;\s*boundary="?([^";]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1];
      if (!boundary) return reject(new Refusal(400, 'InvalidArgument', 'The body must be multipart/form-data with a boundary.'));
      const delimiter = Buffer.from(`\r\n--${boundary}`);
      let pending: Buffer = Buffer.from('\r\n'); // so the first boundary reads like every other
      let file: { hash: ReturnType<typeof createHash>; name?: string; check: () => StoredObject } | undefined;
      let done = false;
      const fail = (status: number, code: string, message: string) => {
        if (done) return;
        done = true;
        req.removeListener('data', onData);
        reject(new Refusal(status, code, message));
      };
      const fieldsBeforeFile = (): (() => StoredObject) | undefined => {
        const { fields, fieldOrder } = record;
        const missing = UPLOAD_FIELDS.filter((name) => fields[name] === undefined);
        if (missing.length > 0) return void fail(400, 'InvalidArgument', `Missing form field(s) before the file: ${missing.join(', ')}.`);
        if (fieldOrder.join(',') !== UPLOAD_FIELDS.join(',')) {
          return void fail(400, 'InvalidArgument', `The form fields came as ${fieldOrder.join(', ')}; expected ${UPLOAD_FIELDS.join(', ')}, then the file.`);
        }
        const issued = this.policies.get(fields.policy);
        if (fields.OSSAccessKeyId !== ACCESS_KEY_ID) return void fail(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.');
        if (!issued || fields.Signature !== this.sign(fields.policy)) {
          return void fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
        }
        if (!fields.key.startsWith(`${issued.uploadDir}/`) || fields.key.length <= issued.uploadDir.length + 1) {
          return void fail(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "${issued.uploadDir}"]`);
        }
        if (fields['x-oss-object-acl'] !== 'private' || fields['x-oss-forbid-overwrite'] !== 'true' || fields.success_action_status !== '200') {
          return void fail(400, 'InvalidArgument', 'x-oss-object-acl, x-oss-forbid-overwrite and success_action_status must be as the policy says (private, true, 200).');
        }
        return () => {
          // Checked once the file is in, so a policy that runs out during a slow upload is refused, as OSS does.
          if (Date.now() > issued.expiresAt) throw new Refusal(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
          if (this.objects.has(fields.key)) throw new Refusal(409, 'FileAlreadyExists', 'The object you specified already exists and can not be overwritten.');
          return { key: fields.key, model: issued.model, size: record.fileBytes, sha256: file?.hash.digest('hex') ?? '', fileName: file?.name };
        };
      };
      const onData = (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        for (;;) {
          if (done) return;
          if (file) {
            const end = pending.indexOf(delimiter);
            // Everything but a tail that could be the start of the delimiter belongs to the file.
            const safe = end >= 0 ? end : Math.max(0, pending.length - delimiter.length);
            if (safe > 0) {
              file.hash.update(pending.subarray(0, safe));
              record.fileBytes += safe;
              pending = pending.subarray(safe);
            }
            if (end < 0) return;
            const after = pending.subarray(delimiter.length, delimiter.length + 2).toString('latin1');
            if (after.length < 2) return;
            if (after !== '--') return fail(400, 'InvalidArgument', 'The file must be the last field of the form.');
            record.fieldOrder.push('file');
            try {
              const object = file.check();
              done = true;
              req.removeListener('data', onData);
              req.resume();
              if (req.readableEnded) resolve(object);
              else req.on('end', () => resolve(object));
            } catch (error) {
              if (error instanceof Refusal) fail(error.status, error.code, error.message);
              else throw error;
            }
            return;
          }
          // A text part: its boundary, headers and value must all be here; waiting for more is allowed up to a limit.
          const waitForMore = () => (pending.length > MAX_FIELDS_BYTES ? fail(400, 'InvalidArgument', 'The form fields before the file are too large.') : undefined);
          if (pending.indexOf(delimiter) !== 0) {
            if (pending.length >= delimiter.length) return fail(400, 'MalformedPOSTRequest', 'The body of the POST request is not well-formed multipart/form-data.');
            return;
          }
          const headersEnd = pending.indexOf('\r\n\r\n');
          if (headersEnd < 0) return waitForMore();
          const head = pending.subarray(delimiter.length, headersEnd).toString('utf8');
          if (head.startsWith('--')) return fail(400, 'InvalidArgument', 'The form ended without a file.');
          const name = /content-disposition:\s*form-data;\s*name="([^"]*)"/i.exec(head)?.[1];
          if (name === undefined) return fail(400, 'MalformedPOSTRequest', 'A form part has no Content-Disposition name.');
          const fileName = /filename="([^"]*)"/i.exec(head)?.[1];
          const body = pending.subarray(headersEnd + 4);
          if (fileName !== undefined || name === 'file') {
            const check = fieldsBeforeFile();
            if (!check) return;
            file = { hash: createHash('sha256'), name: fileName, check };
            pending = body;
            continue;
          }
          const end = body.indexOf(delimiter);
          if (end < 0) return waitForMore();
          record.fieldOrder.push(name);
          record.fields[name] = body.subarray(0, end).toString('utf8');
          pending = body.subarray(end);
        }
      };
      req.on('data', onData);
      req.on('end', () => {
        if (!done) fail(400, 'MalformedPOSTRequest', file ? 'The body ended inside the file: the upload was cut off.' : 'The form ended without a file.');
      });
      req.on('error', (error) => fail(400, 'IncompleteBody', String(error)));
    });
  }
}
