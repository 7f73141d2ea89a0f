import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  compareMedia, INLINE_LIMIT_BYTES, MediaSendError, transportMedia, withInlineAdvice, type TransportOptions, type UploadCacheLike, type UploadFunction,
} from '../../../src/tasks/mediaTransport';
import type { UploadCacheKey } from '../../../src/tasks/uploadCache';
import { WanError } from '../../../src/wan/errors';
import type { MediaInput } from '../../../src/wan/params';
import { clip, png, wav } from '../media/fixtures';

const root = mkdtempSync(join(tmpdir(), 'wan-transport-'));
const workspace = join(root, 'workspace');
const prompts = join(workspace, 'prompts');
const outside = join(root, 'outside');
mkdirSync(prompts, { recursive: true });
mkdirSync(outside);

function write(file: string, bytes: Buffer): Buffer {
  writeFileSync(file, bytes);
  return bytes;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A real PNG padded to `size` bytes before its IEND chunk (the last 12 bytes): the reader looks at the header and the end only. */
function pngOfSize(size: number): Buffer {
  const whole = png(320, 240);
  return Buffer.concat([whole.subarray(0, -12), Buffer.alloc(size - whole.length), whole.subarray(-12)]);
}

interface Uploads {
  upload: UploadFunction;
  calls: { file: string; model: string }[];
}

function uploads(answer: (file: string) => Promise<string> = async (file) => `oss://dir/${file.split(/[\\/]/).pop()}`): Uploads {
  const calls: { file: string; model: string }[] = [];
  return {
    calls,
    upload: async (file, model, _signal, onProgress) => {
      calls.push({ file, model });
      onProgress(1, 2);
      return answer(file);
    },
  };
}

function options(media: MediaInput[], upload: UploadFunction, extra: Partial<TransportOptions> = {}): TransportOptions {
  return { media, model: 'wan2.7-i2v', baseFolder: prompts, workspaceFolders: [workspace], upload, signal: new AbortController().signal, ...extra };
}

const photo = write(join(prompts, 'girl.png'), png(640, 480));
const clipBytes = write(join(workspace, 'walk.mp4'), clip({ width: 640, height: 480, timescale: 1000, duration: 3000 }));
const voice = write(join(workspace, 'voice.wav'), wav(2));
write(join(outside, 'secret.png'), png(640, 480));

after(() => rmSync(root, { recursive: true, force: true }));

describe('transportMedia', () => {
  test('a small image goes inline as a data URI of its exact bytes, its MIME type from the bytes; a link goes as it is', async () => {
    const { upload, calls } = uploads();
    const result = await transportMedia(options([
      { type: 'first_frame', source: './girl.png' },
      { type: 'last_frame', source: 'https://example.com/end.jpg' },
    ], upload));
    assert.deepEqual(result.sent, [
      { type: 'first_frame', url: `data:image/png;base64,${photo.toString('base64')}` },
      { type: 'last_frame', url: 'https://example.com/end.jpg' },
    ]);
    assert.deepEqual(result.records, [
      { type: 'first_frame', source: './girl.png', sha256: sha256(photo), bytes: photo.length, sent: 'inline' },
      { type: 'last_frame', source: 'https://example.com/end.jpg', sent: 'url' },
    ]);
    assert.equal(calls.length, 0);
  });

  test('a path is relative to the prompt file, else to a workspace folder; a video and a voice go through the upload with progress', async () => {
    const { upload, calls } = uploads();
    const progress: number[] = [];
    const result = await transportMedia(options([{ type: 'reference_video', source: 'walk.mp4', referenceVoice: 'voice.wav' }], upload, {
      model: 'wan2.7-r2v',
      onProgress: (sent) => progress.push(sent),
    }));
    assert.deepEqual(result.sent, [{ type: 'reference_video', url: 'oss://dir/walk.mp4', reference_voice: 'oss://dir/voice.wav' }]);
    assert.deepEqual(result.records, [{
      type: 'reference_video', source: 'walk.mp4', sha256: sha256(clipBytes), bytes: clipBytes.length, sent: 'upload',
      referenceVoice: { source: 'voice.wav', sha256: sha256(voice), bytes: voice.length, sent: 'upload' },
    }]);
    assert.deepEqual(calls.map((c) => c.model), ['wan2.7-r2v', 'wan2.7-r2v']);
    assert.deepEqual(progress, [1, 1]);
  });

  test('7 MB is the inline limit: an image of exactly that size goes inline, one byte more goes through the upload', async () => {
    write(join(workspace, 'at-limit.png'), pngOfSize(INLINE_LIMIT_BYTES));
    const over = write(join(workspace, 'over-limit.png'), pngOfSize(INLINE_LIMIT_BYTES + 1));
    const { upload, calls } = uploads();
    const result = await transportMedia(options([{ type: 'first_frame', source: 'at-limit.png' }, { type: 'last_frame', source: 'over-limit.png' }], upload));
    assert.deepEqual(result.records.map((r) => r.sent), ['inline', 'upload']);
    assert.ok(result.sent[0].url.startsWith('data:image/png;base64,'));
    assert.equal(result.sent[1].url, 'oss://dir/over-limit.png');
    assert.deepEqual(result.records[1], { type: 'last_frame', source: 'over-limit.png', sha256: sha256(over), bytes: over.length, sent: 'upload' });
    assert.equal(calls.length, 1);
  });

  test('an upload is remembered by hash, model and account: the second request uploads nothing', async () => {
    const entries = new Map<string, string>();
    const keyOf = (key: UploadCacheKey) => `${key.sha256} ${key.model} ${key.account}`;
    const store: UploadCacheLike = { get: (key) => entries.get(keyOf(key)), set: (key, url) => entries.set(keyOf(key), url) };
    const { upload, calls } = uploads();
    const media: MediaInput[] = [{ type: 'video', source: 'walk.mp4' }];
    const cache = { store, account: 'https://dashscope.aliyuncs.com/api/v1 k1' };
    const first = await transportMedia(options(media, upload, { model: 'wan2.7-videoedit', cache }));
    const second = await transportMedia(options(media, upload, { model: 'wan2.7-videoedit', cache }));
    assert.deepEqual(second.sent, first.sent);
    assert.equal(calls.length, 1);
    await transportMedia(options(media, upload, { model: 'wan3.0-video', cache }));
    await transportMedia(options(media, upload, { model: 'wan2.7-videoedit', cache: { store, account: 'another account' } }));
    assert.equal(calls.length, 3, 'another model or account uploads again');
  });

  test('a file outside the workspace folders is refused before anything is uploaded, also through a link that leads out', async () => {
    symlinkSync(join(outside, 'secret.png'), join(workspace, 'link.png'));
    const { upload, calls } = uploads();
    for (const source of [join(outside, 'secret.png'), '../../outside/secret.png', 'link.png']) {
      await assert.rejects(transportMedia(options([{ type: 'first_frame', source }], upload)), (error: Error) => {
        assert.ok(error instanceof MediaSendError);
        assert.match(error.message, /outside the workspace folders/);
        return true;
      });
    }
    assert.equal(calls.length, 0);
  });

  test('a missing file says so', async () => {
    const { upload } = uploads();
    await assert.rejects(transportMedia(options([{ type: 'first_frame', source: 'nothere.png' }], upload)), /no file at this path/);
  });

  test('an endpoint without upload: a local clip says it wants public links, a large image is refused with advice', async () => {
    const unavailable = uploads(async () => {
      throw new WanError({ kind: 'upload-unavailable' as never, message: 'no upload here' });
    });
    await assert.rejects(transportMedia(options([{ type: 'video', source: 'walk.mp4' }], unavailable.upload)), (error: Error) => {
      assert.ok(error instanceof MediaSendError);
      assert.match(error.message, /wants public links/);
      return true;
    });
    await assert.rejects(transportMedia(options([{ type: 'first_frame', source: 'over-limit.png' }], unavailable.upload)), /JPEG under 7\.0 MB.*public https:\/\/ link/);
  });

  test('a failed upload rejects the whole transport, so no create follows', async () => {
    const failing = uploads(async () => {
      throw new WanError({ kind: 'server', message: 'upload host said 503' });
    });
    let created = 0;
    await assert.rejects(
      transportMedia(options([{ type: 'first_frame', source: './girl.png' }, { type: 'video', source: 'walk.mp4' }], failing.upload)).then(() => created++),
      /503/,
    );
    assert.equal(created, 0);
  });
});

describe('compareMedia', () => {
  test('says which recorded files changed or are gone; links are not checked', async () => {
    const file = join(workspace, 'changing.png');
    const before = write(file, png(640, 480));
    const records = [
      { type: 'first_frame' as const, source: 'changing.png', sha256: sha256(before), bytes: before.length, sent: 'inline' as const },
      { type: 'last_frame' as const, source: 'gone.png', sha256: 'ab', bytes: 1, sent: 'inline' as const },
      { type: 'reference_image' as const, source: 'https://example.com/a.png', sent: 'url' as const },
    ];
    assert.deepEqual(await compareMedia(records, prompts, [workspace]), [{ source: 'gone.png', state: 'gone' }]);
    write(file, png(800, 480));
    assert.deepEqual(await compareMedia(records, prompts, [workspace]), [{ source: 'changing.png', state: 'changed' }, { source: 'gone.png', state: 'gone' }]);
  });
});

describe('a create refused while it carried an image inline', () => {
  const inline = [{ type: 'first_frame' as const, source: 'girl.png', sha256: 'ab', bytes: 10, sent: 'inline' as const }];
  const refused = new WanError({ kind: 'invalid-request', status: 400, code: 'InvalidParameter', message: 'The provided URL does not appear to be valid.' });

  test('says the endpoint may want public links, keeping the service\'s own message', () => {
    const error = withInlineAdvice(refused, inline) as WanError;
    assert.ok(error instanceof WanError);
    assert.equal(error.message, refused.message);
    assert.equal(error.status, 400);
    assert.match(error.advice, /public https:\/\/ address/);
  });

  test('leaves other failures as they are: another status, or no inline image', () => {
    const server = new WanError({ kind: 'server', status: 500, message: 'Internal error' });
    assert.equal(withInlineAdvice(server, inline), server);
    assert.equal(withInlineAdvice(refused, [{ ...inline[0], sent: 'upload' as const }]), refused);
    assert.equal(withInlineAdvice(refused, undefined), refused);
  });
});
