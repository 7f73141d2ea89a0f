// The test server's temporary upload checks what OSS checks, so a client mistake shows here as a refusal.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { UPLOAD_FIELDS } from '../../server/uploadHost';
import { WanTestServer } from '../../server/wanServer';

const KEY = 'sk-test-host-0123456789abcdef';

type Fields = [string, string][];

interface Policy {
  policy: string;
  signature: string;
  upload_dir: string;
  upload_host: string;
  expire_in_seconds: number;
  oss_access_key_id: string;
  x_oss_object_acl: string;
  x_oss_forbid_overwrite: string;
  max_file_size_mb: number;
}

describe('the test server\'s temporary upload', () => {
  let server: WanTestServer;

  before(async () => {
    server = await WanTestServer.start({ apiKey: KEY });
  });

  after(async () => {
    await server.close();
  });

  async function getPolicy(model = 'wan2.7-videoedit', authorization = `Bearer ${KEY}`): Promise<{ status: number; data: Policy; answer: Record<string, unknown> }> {
    const response = await fetch(`${server.baseUrl}/uploads?action=getPolicy&model=${model}`, { headers: { authorization } });
    const answer = (await response.json()) as Record<string, unknown>;
    return { status: response.status, data: answer.data as Policy, answer };
  }

  function formOf(policy: Policy, key: string): Fields {
    return [
      ['OSSAccessKeyId', policy.oss_access_key_id],
      ['Signature', policy.signature],
      ['policy', policy.policy],
      ['key', key],
      ['x-oss-object-acl', policy.x_oss_object_acl],
      ['x-oss-forbid-overwrite', policy.x_oss_forbid_overwrite],
      ['success_action_status', '200'],
    ];
  }

  /** A multipart POST with `fields` in this order; the file goes where `fileAt` says (default last). */
  function post(host: string, fields: Fields, file: Buffer, options: { headers?: Record<string, string>; fileAt?: number } = {}): Promise<{ status: number; body: string }> {
    const boundary = 'xTestBoundary42';
    const parts = fields.map(([name, value]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    const filePart = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\nContent-Type: video/mp4\r\n\r\n`), file, Buffer.from('\r\n')]);
    parts.splice(options.fileAt ?? parts.length, 0, filePart);
    const body = Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
    return new Promise((resolve, reject) => {
      const req = request(host, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length, ...options.headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  test('the policy call answers the documented shape, with the key; an upload host on another port', async () => {
    const { status, data } = await getPolicy();
    assert.equal(status, 200);
    for (const field of ['policy', 'signature', 'upload_dir', 'upload_host', 'oss_access_key_id']) assert.equal(typeof data[field as keyof Policy], 'string', field);
    assert.equal(data.expire_in_seconds, 300);
    assert.equal(data.x_oss_object_acl, 'private');
    assert.equal(data.x_oss_forbid_overwrite, 'true');
    assert.equal(typeof data.max_file_size_mb, 'number');
    assert.notEqual(new URL(data.upload_host).port, new URL(server.origin).port);
    assert.equal((await getPolicy('wan2.7-videoedit', 'Bearer sk-wrong')).status, 401);
    server.uploads = false;
    assert.equal((await getPolicy()).status, 404);
    server.uploads = true;
  });

  test('stores a well-formed upload (200, empty body), and refuses to overwrite its key', async () => {
    const { data } = await getPolicy();
    const key = `${data.upload_dir}/a.mp4`;
    const file = Buffer.from('not really a video, but bytes');
    assert.deepEqual(await post(data.upload_host, formOf(data, key), file), { status: 200, body: '' });
    assert.equal(server.uploadHost.objects.get(key)?.size, file.length);
    const again = await post(data.upload_host, formOf(data, key), file);
    assert.equal(again.status, 409);
    assert.match(again.body, /<Code>FileAlreadyExists<\/Code>/);
  });

  test('refuses an Authorization header (the key must never come here), and records it', async () => {
    const { data } = await getPolicy();
    const before = server.uploadHost.records.length;
    const answer = await post(data.upload_host, formOf(data, `${data.upload_dir}/b.mp4`), Buffer.from('x'), { headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(answer.status, 400);
    assert.equal(server.uploadHost.records[before].headers.authorization, `Bearer ${KEY}`);
  });

  test('refuses a form out of order, missing a field, or with the file not last', async () => {
    const { data } = await getPolicy();
    const form = formOf(data, `${data.upload_dir}/c.mp4`);
    const swapped: Fields = [form[1], form[0], ...form.slice(2)];
    assert.match((await post(data.upload_host, swapped, Buffer.from('x'))).body, /expected OSSAccessKeyId, Signature/);
    assert.match((await post(data.upload_host, form.filter(([name]) => name !== 'x-oss-forbid-overwrite'), Buffer.from('x'))).body, /Missing form field\(s\) before the file: x-oss-forbid-overwrite/);
    assert.match((await post(data.upload_host, form, Buffer.from('x'), { fileAt: 3 })).body, /Missing form field\(s\) before the file: key/);
    const trailing: Fields = [...form, ['extra', 'after the file']];
    assert.match((await post(data.upload_host, trailing, Buffer.from('x'), { fileAt: form.length })).body, /The file must be the last field/);
    assert.deepEqual([...UPLOAD_FIELDS], form.map(([name]) => name));
  });

  test('refuses a wrong signature, a key outside upload_dir, and an expired policy', async () => {
    const { data } = await getPolicy();
    const form = formOf(data, `${data.upload_dir}/d.mp4`);
    const badSignature = form.map(([name, value]): [string, string] => [name, name === 'Signature' ? 'AAAA' : value]);
    const signed = await post(data.upload_host, badSignature, Buffer.from('x'));
    assert.equal(signed.status, 403);
    assert.match(signed.body, /SignatureDoesNotMatch/);
    const outside = await post(data.upload_host, formOf(data, 'dashscope-instant/elsewhere/d.mp4'), Buffer.from('x'));
    assert.equal(outside.status, 403);
    assert.match(outside.body, /starts-with/);

    server.uploadHost.behaviour = { expireInSeconds: [0.05] };
    const short = (await getPolicy()).data;
    assert.equal(short.expire_in_seconds, 0.05);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const expired = await post(short.upload_host, formOf(short, `${short.upload_dir}/e.mp4`), Buffer.from('x'));
    assert.equal(expired.status, 403);
    assert.match(expired.body, /Policy expired/);
    server.uploadHost.behaviour = {};
  });

  test('a data URI is an image\'s only: a video sent inline is refused at create', async () => {
    const create = (media: unknown) => fetch(`${server.baseUrl}/services/aigc/video-generation/video-synthesis`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-dashscope-async': 'enable' },
      body: JSON.stringify({ model: 'wan2.7-videoedit', input: { prompt: 'Snow', media }, parameters: {} }),
    });
    assert.equal((await create([{ type: 'video', url: 'data:video/mp4;base64,AAAA' }])).status, 400);
    assert.equal((await create([{ type: 'video', url: 'https://example.com/a.mp4' }, { type: 'reference_image', url: 'data:image/png;base64,AAAA' }])).status, 200);
  });
});
