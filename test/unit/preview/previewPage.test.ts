// The preview page's script (media/preview.js), run against a stand-in video element and webview API: it keeps the
// video's place in its webview state, which VS Code gives back when the hidden tab is shown again and, through the
// serializer, after a reload.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as vm from 'node:vm';
import type { PageState } from '../../../src/preview/videoPreview';

const PAGE_SCRIPT = readFileSync(path.resolve(__dirname, '../../../../media/preview.js'), 'utf8');

class StandInVideo extends EventTarget {
  currentTime = 0;
  paused = true;
  readyState = 0;
  duration = Number.NaN;
  error = null;
  plays = 0;
  src = '';

  play(): Promise<void> {
    this.plays++;
    this.paused = false;
    this.dispatchEvent(new Event('play'));
    return Promise.resolve();
  }
}

/** Runs the page as the webview would, with `state` as what VS Code kept for it. */
function openPage(state: PageState | undefined) {
  const video = new StandInVideo();
  let kept: unknown = state;
  const vscodeApi = { postMessage: () => undefined, getState: () => kept, setState: (next: unknown) => { kept = next; } };
  const elements: Record<string, { hidden: boolean; textContent: string }> = {
    'sound-note': { hidden: false, textContent: 'The sound is being converted for this player; it joins in a moment.' },
    'silent-here': { hidden: true, textContent: '' },
  };
  const document = {
    body: { dataset: { taskId: 't1' } },
    getElementById: (id: string) => (id === 'video' ? video : elements[id] ?? { hidden: true }),
    querySelectorAll: () => [],
  };
  const window = new EventTarget();
  vm.runInNewContext(PAGE_SCRIPT, { acquireVsCodeApi: () => vscodeApi, document, window });
  /** What the extension posts to the page (webview.postMessage). */
  const post = (data: unknown) => window.dispatchEvent(Object.assign(new Event('message'), { data }));
  // The state comes from the page's own realm: compared as the JSON VS Code stores.
  return { video, elements, post, kept: () => (kept === undefined ? undefined : JSON.parse(JSON.stringify(kept)) as unknown) };
}

describe('the preview page', () => {
  it('keeps the video\'s time and whether it plays in its webview state, beside the task the serializer reads', () => {
    const { video, kept } = openPage(undefined);
    assert.deepEqual(kept(), { taskId: 't1' });
    video.paused = false;
    video.currentTime = 3.5;
    video.dispatchEvent(new Event('timeupdate'));
    assert.deepEqual(kept(), { taskId: 't1', currentTime: 3.5, paused: false });
    video.paused = true;
    video.dispatchEvent(new Event('pause'));
    assert.deepEqual(kept(), { taskId: 't1', currentTime: 3.5, paused: true });
  });

  it('shown again, takes up a playing video where it was', () => {
    const { video, kept } = openPage({ taskId: 't1', currentTime: 3.5, paused: false });
    assert.deepEqual(kept(), { taskId: 't1', currentTime: 3.5, paused: false }, 'kept until the video can seek');
    video.dispatchEvent(new Event('loadedmetadata'));
    assert.equal(video.currentTime, 3.5);
    assert.equal(video.plays, 1);
  });

  it('shown again, leaves a paused video paused at its place', () => {
    const { video } = openPage({ taskId: 't1', currentTime: 2, paused: true });
    video.dispatchEvent(new Event('loadedmetadata'));
    assert.equal(video.currentTime, 2);
    assert.equal(video.plays, 0);
  });

  it('starts from the beginning when the state is of another task', () => {
    const { video, kept } = openPage({ taskId: 'other', currentTime: 2, paused: false });
    assert.deepEqual(kept(), { taskId: 't1' });
    video.dispatchEvent(new Event('loadedmetadata'));
    assert.equal(video.currentTime, 0);
    assert.equal(video.plays, 0);
  });

  it('swaps in the converted copy when it is ready, from the same place, still playing, and says so', () => {
    const { video, elements, post } = openPage(undefined);
    video.src = 'https://webview/wan-videos/fox.mp4';
    video.currentTime = 1.25;
    video.paused = false;
    post({ type: 'play', src: 'https://webview/soundtracks/abc.mp4?v=1', note: 'Plays a copy of the video with its sound converted to FLAC.', silentHere: false });
    assert.equal(video.src, 'https://webview/soundtracks/abc.mp4?v=1');
    assert.equal(elements['sound-note'].textContent, 'Plays a copy of the video with its sound converted to FLAC.');
    assert.equal(elements['sound-note'].hidden, false);
    video.currentTime = 0; // a new source starts at 0
    video.paused = true;
    video.dispatchEvent(new Event('loadedmetadata'));
    assert.equal(video.currentTime, 1.25);
    assert.equal(video.plays, 1);
  });

  it('falls back to the original with the old notice when the conversion failed, paused where it was', () => {
    const { video, elements, post } = openPage(undefined);
    video.currentTime = 0.5;
    post({ type: 'play', src: 'https://webview/wan-videos/fox.mp4?v=1', note: '', silentHere: true });
    assert.equal(elements['sound-note'].hidden, true);
    assert.equal(elements['silent-here'].hidden, false);
    video.currentTime = 0;
    video.dispatchEvent(new Event('loadedmetadata'));
    assert.equal(video.currentTime, 0.5);
    assert.equal(video.plays, 0);
  });
});
