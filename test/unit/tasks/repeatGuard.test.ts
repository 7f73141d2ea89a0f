import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RepeatGuard, submissionKey } from '../../../src/tasks/repeatGuard';
import type { GenerationParams } from '../../../src/wan/params';
import { validParams } from '../assertions';
import { ManualClock } from './helpers';

function params(prompt: string, seed: number, fields: Record<string, unknown> = {}): GenerationParams {
  return validParams({ prompt, seed, ...fields });
}

describe('case 6: the same submission twice in a few seconds (a double-click)', () => {
  it('holds back the same submission while the first is in flight and for a few seconds after its task was created', async () => {
    const clock = new ManualClock();
    const guard = new RepeatGuard({ clock, windowMs: 5000 });
    const key = submissionKey('generate', 'file:///a.wanprompt', [params('A kite', 1)]);
    const first = guard.begin(key);
    assert.ok(first, 'the first is sent');
    assert.equal(guard.begin(key), undefined, 'the second click while the first is in flight is held back');
    first(true);
    await clock.advance(4999);
    assert.equal(guard.begin(key), undefined, 'and a moment after its task was created');
    await clock.advance(1);
    assert.ok(guard.begin(key), 'a few seconds later it is a new request');
  });

  it('lets the same submission go again at once when the first created nothing', () => {
    const guard = new RepeatGuard({ clock: new ManualClock() });
    const key = submissionKey('generate', 'file:///a.wanprompt', [params('A kite', 1)]);
    guard.begin(key)!(false);
    assert.ok(guard.begin(key));
  });

  it('the same file, prompt and parameters are the same submission, whatever seed was drawn; anything else is another', () => {
    const guard = new RepeatGuard({ clock: new ManualClock() });
    const key = (action: string, uri: string, p: GenerationParams[]) => submissionKey(action, uri, p);
    assert.ok(guard.begin(key('generate', 'file:///a.wanprompt', [params('A kite', 1)])));
    assert.equal(guard.begin(key('generate', 'file:///a.wanprompt', [params('A kite', 2)])), undefined, 'a random seed does not make it another');
    assert.ok(guard.begin(key('generate', 'file:///b.wanprompt', [params('A kite', 1)])), 'another file');
    assert.ok(guard.begin(key('generate', 'file:///a.wanprompt', [params('A kite at dusk', 1)])), 'another prompt');
    assert.ok(guard.begin(key('generate', 'file:///a.wanprompt', [params('A kite', 1, { duration: 10 })])), 'other parameters');
    assert.ok(guard.begin(key('variation', 'file:///a.wanprompt', [params('A kite', 1)])), 'another button (Variation) asks for another');
  });
});
