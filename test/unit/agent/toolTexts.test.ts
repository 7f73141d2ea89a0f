import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { confirmationOf, refusedText, submittedText, tasksText, type CostCheck } from '../../../src/agent/toolTexts';
import { makeRecord } from '../tasks/helpers';

const cost: CostCheck = { line: 'Estimated cost: ≈ ¥3.00' };
const params = { model: 'wan2.7-i2v', prompt: 'The boat drifts away.', resolution: '720P' as const, duration: 5, promptExtend: true, watermark: false, seed: 40 };

describe('the confirmation', () => {
  test('lists the prompt, model, parameters, seeds, each file sent and the cost', () => {
    const { title, message } = confirmationOf([params, { ...params, seed: 41 }], [{ type: 'first_frame', source: 'img/boat.png', bytes: 2048 }, { type: 'last_frame', source: 'https://example.com/end.png' }], cost);
    assert.equal(title, 'Generate 2 paid videos with Wan?');
    assert.equal(message, [
      'An agent asks to generate with wan2.7-i2v.',
      'Prompt: "The boat drifts away."',
      'Parameters: 720P · 5 s · prompt_extend true · watermark false',
      'Seeds: 40, 41',
      'File sent: first_frame img/boat.png (2 KB)',
      'File sent: last_frame https://example.com/end.png',
      'Estimated cost: ≈ ¥3.00',
      'The videos are saved into the workspace and listed in the Tasks view of the Wan sidebar.',
    ].join('\n'));
  });

  test('says when no file is sent', () => {
    assert.match(confirmationOf([params], [], cost).message, /Files sent: none\./);
    assert.equal(confirmationOf([params], [], cost).title, 'Generate a paid video with Wan?');
  });
});

describe('the results', () => {
  test('after submitting: the ids, what each sends, and how to follow up without submitting again', () => {
    const text = submittedText([makeRecord('task-1', { params })], 0, undefined, ['A warning.'], cost);
    assert.match(text, /^Submitted 1 video task to Wan\.\n- task task-1: wan2\.7-i2v, 720P · 5 s · prompt_extend true · watermark false, seed 40, prompt "The boat drifts away\."\nEstimated cost: ≈ ¥3.00/);
    assert.match(text, /call wan_get_video_task with these task ids/);
    assert.match(text, /Do not submit again/);
    assert.match(text, /Warnings \(not blocking\): A warning\./);
  });

  test('a failure before any task says nothing was submitted', () => {
    assert.equal(submittedText([], 1, 'No API key is set.', [], cost), 'Nothing was submitted: No API key is set.');
    assert.equal(refusedText(['a', 'b']), 'Nothing was submitted. Fix these and call wan_generate_video again:\n- a\n- b');
  });

  test('a task\'s state: running, failed with the service\'s reason, done with its path and facts', () => {
    const now = Date.now();
    const running = makeRecord('t-run', { status: 'RUNNING', createdAt: now - 65_000 });
    const failed = makeRecord('t-fail', { status: 'FAILED', code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.', finishedAt: now });
    const done = makeRecord('t-done', { status: 'SUCCEEDED', finishedAt: now, download: { state: 'done', path: '/ws/wan-videos/fox.mp4', bytes: 10, at: now } });
    const text = tasksText([
      { record: running, cost },
      { record: failed, cost },
      { record: done, cost, videoPath: 'wan-videos/fox.mp4', video: { seconds: 5.04, width: 1280, height: 720 } },
    ], now, 'timeout');
    const [runLine, failLine, doneLine, more] = text.split('\n');
    assert.equal(runLine, 'Task t-run (wan2.7-t2v, "A red fox in the snow"): running for 1m 05s.');
    assert.match(failLine, /^Task t-fail .*: failed\. The task failed \(DataInspectionFailed\): Input data may contain inappropriate content\..* Failed tasks are not billed\.$/);
    assert.match(doneLine, /^Task t-done .*: done\. The video is saved at wan-videos\/fox\.mp4 \(5\.04 s, 1280×720, seed 7, Estimated cost: ≈ ¥3.00\)/);
    assert.equal(more, '1 of 3 still in progress: call wan_get_video_task again (waitSeconds up to 120) to wait more. Do not submit again.');
  });

  test('a cancelled wait says the tasks go on', () => {
    assert.match(tasksText([{ record: makeRecord('t', { status: 'RUNNING' }), cost }], Date.now(), 'cancelled'), /The wait was cancelled; the tasks go on/);
  });
});
