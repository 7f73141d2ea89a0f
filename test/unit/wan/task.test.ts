import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { WanError } from '../../../src/wan/errors';
import { failureReason, isTerminal, parseTask, type TaskStatus, type WanTask } from '../../../src/wan/task';

function badResponse(body: unknown): void {
  assert.throws(
    () => parseTask(body),
    (error: unknown) => error instanceof WanError && error.kind === 'bad-response',
  );
}

describe('parseTask', () => {
  test('reads the documented SUCCEEDED answer, times as Beijing time', () => {
    const body = {
      request_id: 'req-1',
      output: {
        task_id: 't-1',
        task_status: 'SUCCEEDED',
        submit_time: '2025-09-29 14:18:52.331',
        scheduled_time: '2025-09-29 14:18:59.290',
        end_time: '2025-09-29 14:23:39.407',
        orig_prompt: 'a fox',
        actual_prompt: 'a red fox running through snow',
        video_url: 'https://dashscope-result-sh.oss-accelerate.aliyuncs.com/xxx.mp4?Expires=1',
      },
      usage: { duration: 10, input_video_duration: 0, output_video_duration: 10, video_count: 1, ratio: '16:9', SR: 720 },
    };
    const task = parseTask(body);
    assert.deepEqual(task, {
      taskId: 't-1',
      status: 'SUCCEEDED',
      submitTime: Date.UTC(2025, 8, 29, 6, 18, 52, 331),
      scheduledTime: Date.UTC(2025, 8, 29, 6, 18, 59, 290),
      endTime: Date.UTC(2025, 8, 29, 6, 23, 39, 407),
      videoUrl: 'https://dashscope-result-sh.oss-accelerate.aliyuncs.com/xxx.mp4?Expires=1',
      origPrompt: 'a fox',
      actualPrompt: 'a red fox running through snow',
      usage: { duration: 10, inputVideoDuration: 0, outputVideoDuration: 10, ratio: '16:9', sr: 720, videoCount: 1 },
      requestId: 'req-1',
      raw: body,
    });
    assert.equal(task.raw, body);
  });

  test('Wan 3.0\'s usage: the duration as a float, fps, and the input and output video durations', () => {
    const task = parseTask(JSON.parse('{"output":{"task_id":"t","task_status":"SUCCEEDED"},"usage":{"duration":10.04,"fps":30,"input_video_duration":4.5,"output_video_duration":5.54,"video_count":1}}'));
    assert.deepEqual(task.usage, { duration: 10.04, fps: 30, inputVideoDuration: 4.5, outputVideoDuration: 5.54, videoCount: 1 });
    assert.deepEqual(parseTask(JSON.parse('{"output":{"task_id":"t","task_status":"SUCCEEDED"},"usage":{"duration":5.0,"fps":"30"}}')).usage, { duration: 5, fps: 30 });
    assert.deepEqual(parseTask({ output: { task_id: 't', task_status: 'SUCCEEDED' }, usage: { duration: '10.04' } }).usage, { duration: 10.04 });
  });

  test('SR as a string and the older usage fields are read', () => {
    const task = parseTask({ output: { task_id: 't', task_status: 'SUCCEEDED' }, usage: { video_duration: 5, video_ratio: '1280*720', SR: '720' } });
    assert.deepEqual(task.usage, { duration: 5, ratio: '1280*720', sr: 720 });
  });

  test('reads a FAILED task with its code inside output, and one without a code', () => {
    const failed = parseTask({ output: { task_id: 't', task_status: 'FAILED', code: 'InvalidParameter', message: 'size is not supported' } });
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.code, 'InvalidParameter');
    assert.equal(failed.message, 'size is not supported');
    const bare = parseTask({ output: { task_id: 't', task_status: 'FAILED' } });
    assert.equal(bare.code, undefined);
    assert.equal(bare.message, undefined);
  });

  test('reads the alternative shape: status, result_url and task_id at the top level', () => {
    const task = parseTask({ task_id: 'alt-1', status: 'completed', result_url: 'https://example.com/v.mp4', created_at: 1_759_126_732 });
    assert.equal(task.taskId, 'alt-1');
    assert.equal(task.status, 'SUCCEEDED');
    assert.equal(task.videoUrl, 'https://example.com/v.mp4');
    assert.equal(task.submitTime, 1_759_126_732_000);
    const failed = parseTask({ task_id: 'alt-2', status: 'failed', error: { code: 'DataInspectionFailed', message: 'inappropriate' } });
    assert.equal(failed.code, 'DataInspectionFailed');
    assert.equal(failed.message, 'inappropriate');
  });

  test('maps every status word onto the native statuses', () => {
    const expected: Record<string, TaskStatus> = {
      completed: 'SUCCEEDED',
      succeeded: 'SUCCEEDED',
      failed: 'FAILED',
      cancelled: 'CANCELED',
      canceled: 'CANCELED',
      queued: 'PENDING',
      pending: 'PENDING',
      processing: 'RUNNING',
      running: 'RUNNING',
      PENDING: 'PENDING',
      RUNNING: 'RUNNING',
      SUSPENDED: 'SUSPENDED',
      SUCCEEDED: 'SUCCEEDED',
      FAILED: 'FAILED',
      CANCELED: 'CANCELED',
      UNKNOWN: 'UNKNOWN',
    };
    for (const [word, status] of Object.entries(expected)) {
      // Either vocabulary, in any case, in either shape: APIYI documents completed/failed for Wan 3.0.
      for (const spelling of [word, word.toUpperCase(), word[0].toUpperCase() + word.slice(1).toLowerCase()]) {
        assert.equal(parseTask({ task_id: 'x', status: spelling }).status, status, spelling);
        assert.equal(parseTask({ output: { task_id: 'x', task_status: spelling } }).status, status, spelling);
      }
      assert.equal(parseTask({ task_id: 'x', status: word }).status, status, word);
      assert.equal(parseTask({ output: { task_id: 'x', task_status: word } }).status, status, word);
    }
  });

  test('reads a list item: status at the top level, times in epoch ms', () => {
    const task = parseTask({ task_id: 'l-1', status: 'SUCCEEDED', gmt_create: 1691561394828, start_time: 1691561395295, end_time: 1691561396394, model_name: 'wan2.7-t2v' });
    assert.equal(task.submitTime, 1691561394828);
    assert.equal(task.scheduledTime, 1691561395295);
    assert.equal(task.endTime, 1691561396394);
    assert.equal(task.videoUrl, undefined);
  });

  test('an answer without task id or status, or with an unknown status, is a bad response', () => {
    badResponse(null);
    badResponse('SUCCEEDED');
    badResponse([]);
    badResponse({ request_id: 'r', code: 'InternalError' });
    badResponse({ output: { task_status: 'SUCCEEDED' } });
    badResponse({ output: { task_id: 't' } });
    badResponse({ output: { task_id: 't', task_status: 'MAYBE' } });
  });
});

describe('task states', () => {
  test('terminal statuses are SUCCEEDED, FAILED, CANCELED and UNKNOWN', () => {
    const terminal = (['PENDING', 'RUNNING', 'SUSPENDED', 'SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN'] as const).filter(isTerminal);
    assert.deepEqual(terminal, ['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN']);
  });

  test('failure reasons read well with and without a code', () => {
    const task = (fields: Partial<WanTask>): WanTask => ({ taskId: 't', status: 'FAILED', raw: {}, ...fields });
    const withCode = failureReason(task({ code: 'DataInspectionFailed', message: 'Input data may contain inappropriate content.' }));
    assert.match(withCode, /^The task failed \(DataInspectionFailed\): Input data may contain inappropriate content\. /);
    assert.match(withCode, /Change the prompt/);
    assert.match(failureReason(task({ code: 'InternalError.Timeout' })), /^The task failed \(InternalError\.Timeout\)\. Try again/);
    assert.match(failureReason(task({})), /^The task failed and gave no reason\. Try again/);
    assert.match(failureReason(task({ status: 'UNKNOWN' })), /expired .* or never existed/);
    assert.match(failureReason(task({ status: 'CANCELED' })), /cancelled/);
  });
});
