// Bad input and trust inside the real VS Code: markup in prompts stays text, the preview page is locked down.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TaskRecord } from '../../src/tasks/taskRecord';
import { previewOptions, renderPage } from '../../src/preview/videoPreview';

const HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script> & "quotes" \'single\'';

function recordWith(prompt: string): TaskRecord {
  return {
    taskId: 'task-<b>1</b>',
    endpoint: 'custom',
    baseUrl: 'http://127.0.0.1:1/api/v1',
    params: { model: 'wan2.7-t2v', prompt, negativePrompt: '<i>blur</i>', resolution: '720P', ratio: '16:9', duration: 5, promptExtend: true, watermark: false, seed: 1 },
    source: { kind: 'selection', label: prompt },
    status: 'SUCCEEDED',
    createdAt: Date.now(),
    actualPrompt: '</p><script>alert(3)</script>',
    download: { state: 'done', path: path.join(os.tmpdir(), 'video <x>.mp4'), bytes: 1, at: 1 },
  };
}

const webview = {
  cspSource: 'https://webview.test',
  asWebviewUri: (uri: vscode.Uri) => uri.with({ scheme: 'https', authority: 'webview.test' }),
};

describe('the video preview page', () => {
  const media = vscode.Uri.file('/extension/media');

  it('renders every text of the task as text, never as markup', () => {
    const html = renderPage(webview, media, recordWith(HOSTILE), path.join(os.tmpdir(), 'video <x>.mp4'), false);
    assert.ok(!html.includes('<script>alert'), 'no script from the prompt');
    assert.ok(!html.includes('<img src=x'), 'no element from the prompt');
    assert.ok(!html.includes('<i>blur'), 'no element from the negative prompt');
    assert.ok(html.includes('&lt;script&gt;alert(2)&lt;/script&gt;'), 'the prompt is shown as written');
    assert.ok(html.includes('&lt;/p&gt;&lt;script&gt;alert(3)'), 'the rewritten prompt too');
    // Exactly one script element: the page's own, with the nonce.
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0], /^<script nonce="[A-Za-z0-9+/=]{16,}" src="https:\/\/webview\.test\/extension\/media\/preview\.js">$/);
  });

  it('has a CSP that blocks inline and foreign scripts and allows media only from the webview', () => {
    const html = renderPage(webview, media, recordWith('A cat'), '/videos/cat.mp4', false);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0], d.split(/\s+/).slice(1)]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['media-src'], ['https://webview.test']);
    assert.equal(directives['script-src'].length, 1);
    assert.match(directives['script-src'][0], /^'nonce-[A-Za-z0-9+/=]+'$/);
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
    const nonce = directives['script-src'][0].slice("'nonce-".length, -1);
    assert.ok(html.includes(`<script nonce="${nonce}"`));
    assert.notEqual(nonce, /'nonce-([^']+)'/.exec(renderPage(webview, media, recordWith('A cat'), '/videos/cat.mp4', false))![1], 'a new nonce every time');
  });

  it('lets the page load files only from media/ and the video\'s own folder', () => {
    const options = previewOptions(media, '/home/user/project/wan-videos/cat.mp4');
    assert.deepEqual(options.localResourceRoots?.map((u) => u.fsPath), [media.fsPath, '/home/user/project/wan-videos']);
  });

  it('shows the input images as data URIs (the page may read no file beside them), and names the clips, sounds and links', () => {
    const record: TaskRecord = {
      ...recordWith('A girl waves'),
      media: [
        { type: 'first_frame', source: './girl <1>.png', sha256: 'ab', bytes: 10, sent: 'inline' },
        { type: 'driving_audio', source: './song.mp3', sha256: 'cd', bytes: 20, sent: 'upload' },
        { type: 'last_frame', source: 'https://example.com/end.png', sent: 'url' },
      ],
    };
    const inputs = [{ record: record.media![0], image: 'data:image/png;base64,iVBORw0KGgo=' }, { record: record.media![1] }, { record: record.media![2] }];
    const options = previewOptions(media, '/home/user/project/wan-videos/cat.mp4');
    assert.deepEqual(options.localResourceRoots?.map((u) => u.fsPath), [media.fsPath, '/home/user/project/wan-videos']);
    const html = renderPage(webview, media, record, '/videos/cat.mp4', false, inputs);
    const images = html.match(/<img\b[^>]*>/g) ?? [];
    assert.equal(images.length, 1, 'the local image only: a link is named, never loaded');
    assert.match(images[0], /src="data:image\/png;base64,iVBORw0KGgo="/);
    assert.ok(html.includes('first_frame: ./girl &lt;1&gt;.png'));
    assert.ok(html.includes('<li>driving_audio: ./song.mp3</li>'));
    assert.ok(html.includes('<li>last_frame: https://example.com/end.png</li>'));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    assert.match(csp, /img-src https:\/\/webview\.test data:;/, 'images from the webview and the page itself only');
  });

  it('says when desktop VS Code will play the soundtrack silently', () => {
    const silent = renderPage(webview, media, recordWith('A cat'), '/videos/cat.mp4', true);
    const normal = renderPage(webview, media, recordWith('A cat'), '/videos/cat.mp4', false);
    const notice = /<p id="silent-here" class="notice"( hidden)?>[^<]*AAC/;
    assert.equal(notice.exec(silent)?.[1], undefined, 'shown');
    assert.equal(notice.exec(normal)?.[1], ' hidden', 'hidden');
  });
});
