import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarOf, costLabel, costOf, runningEstimate, spendingSummary, spendingTotals, spentToday, type UnitPrice } from '../../../src/tasks/spending';
import { spendingByDay, spendingReport } from '../../../src/tasks/spendingReport';
import type { TaskRecord } from '../../../src/tasks/taskRecord';
import { makeRecord } from './helpers';

const LIST: UnitPrice = { currency: 'CNY', perSecond: 0.6, billedOn: 'output', source: 'Alibaba Cloud Model Studio price list (Beijing)', date: '2026-12-01', listPrice: true };
const APIYI: UnitPrice = { currency: 'USD', perSecond: 0.084, billedOn: 'output', source: 'APIYI model pages', date: '2026-12-01' };
const EDIT: UnitPrice = { ...LIST, billedOn: 'input-and-output' };

/** Wednesday 2026-12-02, 10:00 in Beijing (02:00 UTC). */
const NOW = Date.UTC(2026, 11, 2, 2, 0);
const HOUR = 3600_000;

function succeeded(taskId: string, createdAt: number, seconds: number, price: UnitPrice = LIST, baseUrl = 'http://127.0.0.1:9/api/v1'): TaskRecord {
  return makeRecord(taskId, { status: 'SUCCEEDED', createdAt, price, baseUrl, usage: { duration: seconds } });
}

describe('what tasks cost', () => {
  it('bills a succeeded task on usage.duration, an edit on input + output, and failed or cancelled ones nothing', () => {
    assert.deepEqual(costOf(succeeded('a', NOW, 5)), { kind: 'billed', currency: 'CNY', amount: 3, seconds: 5 });
    const edit = makeRecord('e', { status: 'SUCCEEDED', price: EDIT, usage: { inputVideoDuration: 4, outputVideoDuration: 4 } });
    assert.deepEqual(costOf(edit), { kind: 'billed', currency: 'CNY', amount: 4.8, seconds: 8 }, 'no usage.duration: input + output');
    assert.equal((costOf({ ...edit, usage: { duration: 8.5, inputVideoDuration: 4, outputVideoDuration: 4.5 } }) as { amount: number }).amount, 8.5 * 0.6, 'usage.duration includes the input');
    assert.deepEqual(costOf(makeRecord('f', { status: 'FAILED', price: LIST, estimate: { low: 3, high: 3 } })), { kind: 'free' });
    assert.deepEqual(costOf(makeRecord('c', { status: 'CANCELED', price: LIST })), { kind: 'free' });
    assert.deepEqual(costOf(makeRecord('r', { status: 'RUNNING', price: LIST, estimate: { low: 1.2, high: 18 } })), { kind: 'expected', currency: 'CNY', low: 1.2, high: 18 });
    assert.deepEqual(costOf(makeRecord('u', { status: 'UNKNOWN', price: LIST })), { kind: 'unknown', currency: 'CNY' }, 'the service may have billed it');
    assert.deepEqual(costOf(makeRecord('old', { status: 'SUCCEEDED', usage: { duration: 5 } })), { kind: 'unknown', currency: undefined }, 'no price kept');
    assert.deepEqual(costOf(makeRecord('p', { status: 'SUCCEEDED', price: { ...LIST, perSecond: undefined }, usage: { duration: 5 } })), { kind: 'unknown', currency: 'CNY' });
  });

  it('says what a task cost with the price, its source and whether it is a list price', () => {
    assert.equal(costLabel(succeeded('a', NOW, 10.04)), '¥6.02 (10.04 s × ¥0.6/s; Alibaba Cloud Model Studio price list (Beijing), 2026-12-01, list price)');
    assert.equal(costLabel(succeeded('b', NOW, 5, APIYI)), '$0.42 (5 s × $0.084/s; APIYI model pages, 2026-12-01)');
    assert.equal(costLabel(makeRecord('f', { status: 'FAILED', price: LIST })), 'not billed (failed)');
    assert.equal(costLabel(makeRecord('r', { status: 'RUNNING', price: APIYI, estimate: { low: 0.42, high: 0.42 } })), '≈ $0.42 (estimate; APIYI model pages, 2026-12-01)');
    assert.equal(costLabel(makeRecord('x', { status: 'SUCCEEDED', price: { currency: 'CNY', billedOn: 'output', source: 'no published price' } })), 'price unknown (no published price)');
  });

  it('adds up today, this week (from Monday) and this month per endpoint and currency, running tasks apart', () => {
    const records = [
      succeeded('today', NOW - HOUR, 5),
      succeeded('today-apiyi', NOW - HOUR, 10, APIYI, 'https://api.apiyi.com/wan/api/v1'),
      makeRecord('running', { status: 'RUNNING', createdAt: NOW, price: LIST, estimate: { low: 3, high: 3 } }),
      makeRecord('failed', { status: 'FAILED', createdAt: NOW, price: LIST }),
      makeRecord('unpriced', { status: 'SUCCEEDED', createdAt: NOW, usage: { duration: 5 } }),
      succeeded('monday', Date.UTC(2026, 10, 30, 4), 10),
      succeeded('last-sunday', Date.UTC(2026, 10, 29, 4), 20),
      succeeded('last-month', Date.UTC(2026, 10, 20), 100),
    ];
    const totals = spendingTotals(records, NOW, 'Asia/Shanghai');
    const row = (rows: typeof totals.today, host: string) => rows.find((r) => r.endpoint === host);
    assert.deepEqual(row(totals.today, '127.0.0.1:9'), { endpoint: '127.0.0.1:9', currency: 'CNY', spent: 3, expected: { low: 3, high: 3 }, unknown: 1, free: 1, tasks: 4 });
    assert.equal(row(totals.today, 'api.apiyi.com')?.currency, 'USD');
    assert.equal(row(totals.today, 'api.apiyi.com')?.spent.toFixed(2), '0.84');
    assert.equal(row(totals.week, '127.0.0.1:9')?.spent, 3 + 6, 'Monday counts, Sunday is last week');
    assert.equal(row(totals.month, '127.0.0.1:9')?.spent, 3, 'this week began in November, which is last month');
    assert.equal(spendingSummary(totals), '¥6.00 today · ¥12.00 this week · ¥6.00 this month | $0.84 today · $0.84 this week · $0.84 this month', 'running tasks at their estimate');
    assert.equal(spendingTotals(records, Date.UTC(2026, 10, 30, 12), 'Asia/Shanghai').month.find((r) => r.currency === 'CNY')?.spent, 6 + 12 + 60, 'on November 30 the month holds November\'s');
    assert.equal(spentToday(records, 'CNY', NOW, 'Asia/Shanghai'), 6, 'a budget counts running tasks too');
  });

  it('puts a task on the day it was submitted in the given time zone', () => {
    // 2026-12-01 15:00 UTC: 23:00 on December 1 in Beijing, where NOW is December 2; 10:00 in New York, where NOW is still December 1 (21:00).
    const late = succeeded('late', Date.UTC(2026, 11, 1, 15), 5);
    assert.deepEqual(spendingTotals([late], NOW, 'Asia/Shanghai').today, [], 'yesterday in Beijing');
    assert.equal(spendingTotals([late], NOW, 'America/New_York').today[0]?.spent, 3, 'today in New York');
    assert.equal(spendingTotals([late], NOW, 'Asia/Shanghai').week[0]?.spent, 3, 'this week in both');
    assert.deepEqual(calendarOf(Date.UTC(2026, 11, 1, 20), 'Asia/Shanghai'), { day: '2026-12-02', week: '2026-11-30', month: '2026-12' });
    assert.deepEqual(calendarOf(Date.UTC(2026, 11, 1, 20), 'America/New_York'), { day: '2026-12-01', week: '2026-11-30', month: '2026-12' });
    assert.deepEqual(calendarOf(Date.UTC(2027, 0, 3, 12), 'UTC'), { day: '2027-01-03', week: '2026-12-28', month: '2027-01' }, 'a week across the new year');
  });

  it('lists each day and model, newest first, for Show Spending', () => {
    const rows = spendingByDay([succeeded('a', NOW, 5), succeeded('b', NOW - 20 * HOUR, 10), { ...succeeded('c', NOW, 5), params: { model: 'wan3.0-video', prompt: 'x' } }], 'UTC');
    assert.deepEqual(rows.map((r) => `${r.day} ${r.model} ${r.row.spent}`), ['2026-12-02 wan2.7-t2v 3', '2026-12-02 wan3.0-video 3', '2026-12-01 wan2.7-t2v 6']);
  });

  it('sums the running tasks\' estimates per currency for the status bar', () => {
    const running = [
      makeRecord('a', { status: 'RUNNING', price: LIST, estimate: { low: 3, high: 3 } }),
      makeRecord('b', { status: 'PENDING', price: LIST, estimate: { low: 6, high: 6 } }),
      makeRecord('c', { status: 'PENDING', price: APIYI, estimate: { low: 0.17, high: 2.52 } }),
      makeRecord('d', { status: 'SUCCEEDED', price: LIST, usage: { duration: 5 } }),
    ];
    assert.equal(runningEstimate(running), '≈ ¥9.00 · ≈ $0.17–2.52');
    assert.equal(runningEstimate([makeRecord('x', { status: 'RUNNING' })]), undefined);
  });

  it('writes Show Spending\'s page: totals per endpoint and currency, then each day and model, failed ones as not billed', () => {
    const records = [
      succeeded('a', NOW, 5),
      makeRecord('f', { status: 'FAILED', createdAt: NOW, price: LIST }),
      makeRecord('r', { status: 'RUNNING', createdAt: NOW, price: LIST, estimate: { low: 3, high: 3 } }),
      succeeded('b', NOW - 20 * HOUR, 10, APIYI, 'https://api.apiyi.com/wan/api/v1'),
    ];
    const page = spendingReport(records, NOW, 'UTC');
    assert.match(page, /^\| 127\.0\.0\.1:9 \(CNY\) \| ¥3\.00 \+ ≈ ¥3\.00 running \| ¥3\.00 \+ ≈ ¥3\.00 running \| ¥3\.00 \+ ≈ ¥3\.00 running \|$/m);
    assert.match(page, /^\| api\.apiyi\.com \(USD\) \| – \| \$0\.84 \| \$0\.84 \|$/m);
    assert.match(page, /^\| 2026-12-02 \| wan2\.7-t2v \| 127\.0\.0\.1:9 \| ¥3\.00 \+ ≈ ¥3\.00 running \| 3 \| 1 \|$/m);
    assert.match(page, /^\| 2026-12-01 \| wan2\.7-t2v \| api\.apiyi\.com \| \$0\.84 \| 1 \| 0 \|$/m);
    assert.match(spendingReport([], NOW, 'UTC'), /Nothing was submitted this month\./);
  });
});
