import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { autoApproves, FASTEST_ANSWER_MS, mustAskAgain } from '../../../src/agent/userSay';

const TOOL = 'wan_generate_video';

describe('mustAskAgain: the tool asks in its own dialog when VS Code\'s confirmation may have been skipped', () => {
  const shown = { at: 10_000 };

  test('an answer that took a person\'s time goes on, in chat and outside alike', () => {
    assert.equal(mustAskAgain(shown, shown.at + FASTEST_ANSWER_MS, false), false);
    assert.equal(mustAskAgain(shown, shown.at + 30_000, false), false);
  });

  test('an answer faster than a person can read the confirmation is asked again', () => {
    assert.equal(mustAskAgain(shown, shown.at, false), true);
    assert.equal(mustAskAgain(shown, shown.at + FASTEST_ANSWER_MS - 1, false), true);
  });

  test('with chat.tools.autoApprove on, however long it took', () => {
    assert.equal(mustAskAgain(shown, shown.at + 30_000, true), true);
  });

  test('an invoke with no confirmation shown for its input is asked', () => {
    assert.equal(mustAskAgain(undefined, shown.at + 30_000, false), true);
  });
});

describe('autoApproves: chat.tools.autoApprove as VS Code 1.100 reads it', () => {
  test('true, or an object that names the tool with true', () => {
    assert.equal(autoApproves(true, TOOL), true);
    assert.equal(autoApproves({ [TOOL]: true }, TOOL), true);
  });

  test('off, unset, another tool, or anything else', () => {
    for (const value of [false, undefined, null, {}, { [TOOL]: false }, { other_tool: true }, 'true', 1, [TOOL]]) {
      assert.equal(autoApproves(value, TOOL), false, JSON.stringify(value));
    }
  });
});
