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
  const document = {
    body: { dataset: { taskId: 't1' } },
    getElementById: (id: string) => (id === 'video' ? video : { hidden: true }),
    querySelectorAll: () => [],
  };
  vm.runInNewContext(PAGE_SCRIPT, { acquireVsCodeApi: () => vscodeApi, document });
  // The state comes from the page's own realm: compared as the JSON VS Code stores.
  return { video, kept: () => (kept === undefined ? undefined : JSON.parse(JSON.stringify(kept)) as unknown) };
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
});
