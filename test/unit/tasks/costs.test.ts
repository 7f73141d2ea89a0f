import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkCurrencyAmounts, checkPriceOverrides, checkSpend, estimateLabel, estimateSubmission, estimateTask, type PriceEndpoint, type SpendSettings,
} from '../../../src/tasks/costs';
import { MODELS, type OutputTier } from '../../../src/wan/models';

const APIYI: PriceEndpoint = { id: 'apiyi', baseUrl: 'https://api.apiyi.com/wan/api/v1' };
const BEIJING: PriceEndpoint = { id: 'dashscope', baseUrl: 'https://dashscope.aliyuncs.com/api/v1' };
const SINGAPORE: PriceEndpoint = { id: 'dashscope-intl', baseUrl: 'https://dashscope-intl.aliyuncs.com/api/v1' };
const CUSTOM: PriceEndpoint = { id: 'custom', baseUrl: 'http://127.0.0.1:8080/api/v1' };
const WORKSPACE_BEIJING: PriceEndpoint = { id: 'workspace', baseUrl: 'https://ws-1.cn-beijing.maas.aliyuncs.com/api/v1' };
const WORKSPACE_TOKYO: PriceEndpoint = { id: 'workspace', baseUrl: 'https://ws-1.ap-northeast-1.maas.aliyuncs.com/api/v1' };

/** The prices of ../shared/wan-models.md, written out again: a wrong row in the model table fails here. */
const PUBLISHED: Record<string, { official: Partial<Record<OutputTier, number>>; apiyi: Partial<Record<OutputTier, number>>; unverified?: true }> = {
  'wan3.0-video': { official: { '480P': 0.21, '720P': 0.42, '1080P': 0.84 }, apiyi: { '720P': 0.0588, '1080P': 0.1176 }, unverified: true },
  'wan3.0-video-prime': { official: { '720P': 0.9 }, apiyi: { '720P': 0.126 }, unverified: true },
  'wan2.7-t2v': { official: { '720P': 0.6, '1080P': 1.0 }, apiyi: { '720P': 0.084, '1080P': 0.14 } },
  'wan2.7-i2v': { official: { '720P': 0.6, '1080P': 1.0 }, apiyi: { '720P': 0.084, '1080P': 0.14 } },
  'wan2.7-r2v': { official: { '720P': 0.6, '1080P': 1.0 }, apiyi: { '720P': 0.084, '1080P': 0.14 } },
  'wan2.7-videoedit': { official: { '720P': 0.6, '1080P': 1.0 }, apiyi: { '720P': 0.084, '1080P': 0.14 } },
};

const close = (actual: number | undefined, expected: number, message?: string) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${message ?? ''}: ${actual} is not ${expected}`);

describe('prices and estimates', () => {
  it('prices every model row at every tier it makes, on Beijing (CNY) and APIYI (USD), and says "unknown" where nothing is published', () => {
    for (const model of MODELS) {
      const tiers = new Set<OutputTier>([...model.resolutions, ...model.sizes.map((s) => s.tier), '480P', '720P', '1080P']);
      for (const tier of tiers) {
        for (const [endpoint, list, currency] of [[BEIJING, 'official', 'CNY'], [APIYI, 'apiyi', 'USD']] as const) {
          const expected = PUBLISHED[model.id]?.[list][tier];
          // A length the model takes: 5 s for the models of this table (the fixed-length older ones make 5 s too).
          const estimate = estimateTask({ model: model.id, resolution: tier, duration: model.id === 'wan2.7-videoedit' ? 5 : undefined, inputSeconds: 4 }, endpoint);
          assert.equal(estimate.price.currency, currency, `${model.id} ${tier} on ${endpoint.id}`);
          if (expected === undefined) {
            assert.equal(estimate.cost, undefined, `${model.id} ${tier} on ${endpoint.id} has no published price`);
            assert.equal(estimate.price.perSecond, undefined);
            continue;
          }
          const seconds = model.id === 'wan2.7-videoedit' ? 5 + 4 : 5;
          close(estimate.cost?.low, seconds * expected, `${model.id} ${tier} on ${endpoint.id}`);
          close(estimate.cost?.high, seconds * expected);
          assert.equal(estimate.price.unverified, list === 'official' && PUBLISHED[model.id].unverified ? true : undefined, `${model.id} ${list} is marked unverified only where derived`);
          assert.ok(estimate.price.source.length > 0 && estimate.price.date === '2026-12-01', 'each price says where and when it was taken');
        }
      }
    }
  });

  it('bills what the service makes when nothing is sent: Wan 3.0 at 1080P, a size model at its size\'s tier', () => {
    close(estimateTask({ model: 'wan3.0-video' }, BEIJING).cost?.low, 5 * 0.84);
    assert.equal(estimateTask({ model: 'wan3.0-video' }, BEIJING).tier, '1080P');
    assert.equal(estimateTask({ model: 'wan2.6-t2v', size: '1280*720', duration: 10 }, BEIJING).tier, '720P');
    assert.equal(estimateLabel(estimateSubmission([{ model: 'wan2.6-t2v', size: '1280*720', duration: 10 }], BEIJING)), 'price unknown');
  });

  it('shows -1 (the model chooses) and 0 (the input\'s length) as ranges, and an edit on input + output seconds', () => {
    const chooses = estimateTask({ model: 'wan3.0-video', resolution: '720P', duration: -1 }, APIYI);
    assert.deepEqual(chooses.seconds, { low: 2, high: 30 });
    close(chooses.cost?.low, 2 * 0.0588);
    close(chooses.cost?.high, 30 * 0.0588);
    assert.equal(estimateLabel(estimateSubmission([{ model: 'wan3.0-video', resolution: '720P', duration: -1 }], APIYI)), '≈ $0.12–1.76');
    // wan2.7-videoedit, 0: the output is as long as the 2–10 s input, and both are billed.
    assert.deepEqual(estimateTask({ model: 'wan2.7-videoedit', resolution: '720P', duration: 0 }, BEIJING).seconds, { low: 4, high: 20 });
    assert.deepEqual(estimateTask({ model: 'wan2.7-videoedit', resolution: '720P' }, BEIJING).seconds, { low: 4, high: 20 }, 'absent is 0 for videoedit');
    const read = estimateTask({ model: 'wan2.7-videoedit', resolution: '720P', duration: 0, inputSeconds: 6 }, BEIJING);
    assert.deepEqual(read.seconds, { low: 12, high: 12 }, 'a 6 s input read from its file: 6 in, 6 out');
    close(read.cost?.low, 7.2);
    assert.deepEqual(estimateTask({ model: 'wan2.7-videoedit', resolution: '1080P', duration: 3, inputSeconds: 8 }, BEIJING).seconds, { low: 11, high: 11 });
    assert.equal(estimateTask({ model: 'wan2.7-t2v', resolution: '720P', duration: 5, inputSeconds: 8 }, BEIJING).seconds.low, 5, 'a text model bills its output only');
  });

  it('uses the endpoint\'s currency: APIYI USD, Beijing CNY, and the Beijing list prices (labelled so) for custom, Singapore and other regions\' workspaces', () => {
    const t2v = { model: 'wan2.7-t2v', resolution: '1080P', duration: 5 };
    for (const [endpoint, currency, listPrice] of [[APIYI, 'USD', undefined], [BEIJING, 'CNY', undefined], [WORKSPACE_BEIJING, 'CNY', undefined], [SINGAPORE, 'CNY', true], [CUSTOM, 'CNY', true], [WORKSPACE_TOKYO, 'CNY', true]] as const) {
      const { price } = estimateTask(t2v, endpoint);
      assert.equal(price.currency, currency, endpoint.baseUrl);
      assert.equal(price.listPrice, listPrice, endpoint.baseUrl);
    }
    assert.match(estimateSubmission([t2v], CUSTOM).sources.join(), /list price/);
  });

  it('takes the user\'s wan.prices for that endpoint, model and resolution, in its currency, and for a model the table does not price', () => {
    const { overrides } = checkPriceOverrides({ custom: { 'wan2.7-t2v': { '720P': 0.3 }, 'wan2.6-t2v': { '1080P': 0.5 } } }) as { overrides: object };
    const own = estimateTask({ model: 'wan2.7-t2v', resolution: '720P', duration: 10 }, CUSTOM, overrides);
    close(own.cost?.low, 3);
    assert.equal(own.price.override, true);
    assert.equal(own.price.listPrice, undefined, 'the user\'s price is no list price');
    close(estimateTask({ model: 'wan2.7-t2v', resolution: '1080P', duration: 10 }, CUSTOM, overrides).cost?.low, 10, 'the other tier keeps the list price');
    close(estimateTask({ model: 'wan2.6-t2v', size: '1920*1080', duration: 10 }, CUSTOM, overrides).cost?.low, 5);
    close(estimateTask({ model: 'wan2.7-t2v', resolution: '720P', duration: 10 }, APIYI, overrides).cost?.low, 0.84, 'another endpoint\'s prices do not apply');
  });

  it('refuses a wan.prices or money setting it cannot read, saying what is expected', () => {
    assert.match((checkPriceOverrides({ reseller: {} }) as { problem: string }).problem, /"reseller" is not an endpoint/);
    assert.match((checkPriceOverrides({ apiyi: { 'wan2.7-t2v': { '4K': 1 } } }) as { problem: string }).problem, /4K of wan2.7-t2v is not a resolution/);
    assert.match((checkPriceOverrides({ apiyi: { 'wan2.7-t2v': { '720P': -1 } } }) as { problem: string }).problem, /at least 0/);
    assert.deepEqual(checkCurrencyAmounts('wan.budget.daily', { CNY: 50, USD: null }), { amounts: { CNY: 50 } });
    assert.match((checkCurrencyAmounts('wan.budget.daily', { EUR: 5 }) as { problem: string }).problem, /wan.budget.daily must be an object of amounts per currency/);
  });

  it('counts unknown prices as unknown, never as zero, and a batch in lines of what will be made', () => {
    const estimate = estimateSubmission([
      ...Array.from({ length: 12 }, () => ({ model: 'wan2.7-t2v', resolution: '1080P', duration: 9 })),
      { model: 'wan3.0-video-prime', resolution: '1080P', duration: 5 },
      { model: 'wan-future-x', duration: 5 },
    ], BEIJING);
    assert.equal(estimate.tasks, 14);
    assert.equal(estimate.unknown, 2);
    close(estimate.total.low, 108);
    assert.equal(estimateLabel(estimate), '≈ ¥108.00 + 2 price unknown');
    assert.deepEqual(estimate.lines.map((l) => `${l.count} ${l.model} ${l.tier} ${l.seconds.low}`), ['12 wan2.7-t2v 1080P 9', '1 wan3.0-video-prime 1080P 5', '1 wan-future-x undefined 5']);
    assert.equal(estimateLabel(estimateSubmission([{ model: 'wan3.0-video', resolution: '720P', duration: 5 }], BEIJING)), '≈ ¥2.10 (unverified)');
  });
});

describe('the cap and the daily budget', () => {
  const limits: SpendSettings = { confirmAbove: { CNY: 20, USD: 3 }, dailyBudget: {} };
  const batch = (count: number, duration = 5) => estimateSubmission(Array.from({ length: count }, () => ({ model: 'wan2.7-t2v', resolution: '720P', duration })), BEIJING);

  it('lets a submission under wan.confirmCostAbove go, and asks once, listing what will be made, above it', () => {
    assert.deepEqual(checkSpend(batch(6), limits, 0), { kind: 'ok' }, '¥18.00');
    const asked = checkSpend(batch(12), limits, 0);
    assert.equal(asked.kind, 'confirm');
    if (asked.kind !== 'confirm') return;
    assert.equal(asked.message, 'Submit 12 videos for ≈ ¥36.00?');
    assert.match(asked.detail, /^12 × wan2\.7-t2v · 5 s 720P · ≈ ¥36\.00$/m);
    assert.match(asked.detail, /over wan\.confirmCostAbove \(¥20\.00\)/);
    assert.match(asked.detail, /Prices: Alibaba Cloud Model Studio price list \(Beijing\), 2026-12-01\./);
    assert.deepEqual(checkSpend(batch(12), { confirmAbove: {}, dailyBudget: {} }, 0), { kind: 'ok' }, 'no cap for the currency: no question');
  });

  it('asks about a range whose top is over the cap, and says that unknown prices are not counted', () => {
    const chooses = estimateSubmission([{ model: 'wan3.0-video', resolution: '1080P', duration: -1 }, { model: 'wan2.6-t2v', size: '1280*720', duration: 5 }], BEIJING);
    const asked = checkSpend(chooses, limits, 0);
    assert.equal(asked.kind, 'confirm');
    if (asked.kind === 'confirm') {
      assert.equal(asked.message, 'Submit 2 videos for ≈ ¥1.68–25.20 (unverified) + 1 price unknown?');
      assert.match(asked.detail, /1 × wan2\.6-t2v · 5 s 720P · price unknown/);
      assert.match(asked.detail, /1 video\(s\) with no known price are not in the total: set their price in wan\.prices\./);
    }
  });

  it('refuses what would take today past wan.budget.daily, saying how much is left and how to change it', () => {
    const budget: SpendSettings = { confirmAbove: {}, dailyBudget: { CNY: 50 } };
    assert.deepEqual(checkSpend(batch(10), budget, 15), { kind: 'ok' }, '¥30.00 of the ¥35.00 left');
    const refused = checkSpend(batch(10), budget, 25);
    assert.equal(refused.kind, 'refuse');
    if (refused.kind === 'refuse') {
      assert.equal(refused.message, 'Not submitted: this would cost ≈ ¥30.00, and your daily budget of ¥50.00 has ¥25.00 left today (¥25.00 spent or running). To allow more, raise wan.budget.daily (Settings) or remove it; or submit fewer, shorter or lower-resolution videos.');
    }
    assert.equal(checkSpend(batch(1), budget, 60).kind, 'refuse', 'over already: nothing more');
    assert.deepEqual(checkSpend(batch(10), { confirmAbove: {}, dailyBudget: { USD: 1 } }, 1000), { kind: 'ok' }, 'a budget in another currency does not apply');
  });

  it('asks, and does not refuse, when only the longest the model may choose would pass the budget', () => {
    const chooses = estimateSubmission([{ model: 'wan2.7-t2v', resolution: '720P', duration: 5 }, { model: 'wan3.0-video', resolution: '720P', duration: -1 }], BEIJING);
    const decision = checkSpend(chooses, { confirmAbove: {}, dailyBudget: { CNY: 10 } }, 0);
    assert.equal(decision.kind, 'confirm');
    if (decision.kind === 'confirm') assert.match(decision.detail, /may cost more than the ¥10\.00 left of today's budget of ¥10\.00/);
  });
});
