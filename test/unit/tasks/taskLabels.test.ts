import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usageLabel } from '../../../src/tasks/taskLabels';

describe('what a task\'s usage reads as', () => {
  it('the seconds billed as the service gives them, with fps and an input video when it tells them', () => {
    assert.equal(usageLabel({ duration: 10.04, fps: 30 }), '10.04 s · 30 fps');
    assert.equal(usageLabel({ duration: 5 }), '5 s');
    assert.equal(usageLabel({ duration: 8.000000001 }), '8 s', 'float noise is not shown');
    assert.equal(usageLabel({ duration: 9.5, fps: 30, inputVideoDuration: 4.5, outputVideoDuration: 5 }), '9.5 s · 30 fps · input video 4.5 s');
    assert.equal(usageLabel({ duration: 5, inputVideoDuration: 0 }), '5 s', 'no input video');
  });

  it('nothing without a duration', () => {
    assert.equal(usageLabel(undefined), undefined);
    assert.equal(usageLabel({ ratio: '16:9', fps: 30 }), undefined);
  });
});
