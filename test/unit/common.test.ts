// The small text helpers of src/common, as a user reads their output.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sizeLabel } from '../../src/common/text';

test('a size reads in KB under a megabyte (a 46 KB clip is not "0.0 MB") and in MB above', () => {
  assert.equal(sizeLabel(46_079), '45 KB');
  assert.equal(sizeLabel(0), '0 KB');
  assert.equal(sizeLabel(300), '1 KB', 'a few bytes are not nothing');
  assert.equal(sizeLabel(12.34 * 1024 * 1024), '12.3 MB');
});
