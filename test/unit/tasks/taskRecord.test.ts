import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tasksToClear, type TaskRecord } from '../../../src/tasks/taskRecord';
import { makeRecord } from './helpers';

describe('clearing finished tasks', () => {
  it('case 18: clears only tasks whose video is on disk or that have none, and keeps the undownloaded ones', () => {
    const records: TaskRecord[] = [
      makeRecord('saved', { status: 'SUCCEEDED', download: { state: 'done', path: '/videos/a.mp4', bytes: 10, at: 1 } }),
      makeRecord('download-failed', { status: 'SUCCEEDED', download: { state: 'failed', error: 'The disk is full.', at: 1 } }),
      makeRecord('downloading', { status: 'SUCCEEDED', download: { state: 'downloading', path: '/videos/b.mp4' } }),
      makeRecord('not-yet', { status: 'SUCCEEDED' }),
      makeRecord('failed', { status: 'FAILED' }),
      makeRecord('canceled', { status: 'CANCELED' }),
      makeRecord('unknown', { status: 'UNKNOWN' }),
      makeRecord('expired', { status: 'EXPIRED' }),
      makeRecord('running', { status: 'RUNNING' }),
    ];
    const { clear, keep } = tasksToClear(records);
    assert.deepEqual(clear.map((r) => r.taskId), ['saved', 'failed', 'canceled', 'unknown', 'expired']);
    assert.deepEqual(keep.map((r) => r.taskId), ['download-failed', 'downloading', 'not-yet'], 'their link and Retry Download stay');
  });
});
