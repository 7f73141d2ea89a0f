// What tasks cost, from what each record keeps (its price per second when submitted, its estimate, the service's
// usage): totals per day, week and month, and what is still running. Light on purpose, with no model table: the Tasks
// view and the status bar use it at activation. The prices and estimates themselves come from costs.ts.
import * as l10n from '@vscode/l10n';
import type { Currency } from '../wan/models';
import type { TaskUsage } from '../wan/task';
import { isActive, type TaskRecord } from './taskRecord';

/** The price a task was submitted at, kept on its record: what it cost is its billed seconds times this. */
export interface UnitPrice {
  currency: Currency;
  /** Undefined: no price is known for this model and resolution on this endpoint. */
  perSecond?: number;
  /** wan2.7-videoedit bills the input's seconds too. */
  billedOn: 'output' | 'input-and-output';
  /** Where the figure comes from: the user's wan.prices, or the price list and the day it was read. */
  source: string;
  date?: string;
  /** Derived, not published. */
  unverified?: true;
  /** The official (Beijing) list price used for an endpoint whose own prices are not known (custom, Singapore…). */
  listPrice?: true;
  /** From wan.prices. */
  override?: true;
}

/** From the shortest to the longest the task may run (-1 and 0 durations leave the length to the service). */
export interface MoneyRange {
  low: number;
  high: number;
}

export type TaskCost =
  /** Failed and cancelled tasks are not billed. */
  | { kind: 'free' }
  | { kind: 'billed'; currency: Currency; amount: number; seconds: number }
  /** Still queued or running: its estimate. */
  | { kind: 'expected'; currency: Currency; low: number; high: number }
  | { kind: 'unknown'; currency?: Currency };

const SYMBOLS: Record<Currency, string> = { CNY: '¥', USD: '$' };

/** "¥3.00", "$0.29". */
export function formatMoney(amount: number, currency: Currency): string {
  return `${SYMBOLS[currency]}${amount.toFixed(2)}`;
}

/** "¥0.6/s", "$0.0588/s": a price per second as the list gives it. */
export function formatPerSecond(perSecond: number, currency: Currency): string {
  return l10n.t('{0}/s', `${SYMBOLS[currency]}${Number(perSecond.toPrecision(4))}`);
}

/** "¥3.00", or "¥1.20–6.00" for a range. */
export function formatRange(range: MoneyRange, currency: Currency): string {
  const low = formatMoney(range.low, currency);
  return range.high - range.low < 0.005 ? low : `${low}–${range.high.toFixed(2)}`;
}

/** The seconds the service billed: `usage.duration` (an edit's includes its input), else the parts it gave. */
export function billedSeconds(usage: TaskUsage | undefined, billedOn: UnitPrice['billedOn']): number | undefined {
  if (usage?.duration !== undefined) return usage.duration;
  if (usage?.outputVideoDuration === undefined) return undefined;
  return usage.outputVideoDuration + (billedOn === 'input-and-output' ? usage.inputVideoDuration ?? 0 : 0);
}

export function costOf(record: TaskRecord): TaskCost {
  if (record.status === 'FAILED' || record.status === 'CANCELED') return { kind: 'free' };
  const price = record.price;
  if (price?.perSecond === undefined) return { kind: 'unknown', currency: price?.currency };
  if (isActive(record)) {
    return record.estimate ? { kind: 'expected', currency: price.currency, ...record.estimate } : { kind: 'unknown', currency: price.currency };
  }
  // UNKNOWN and EXPIRED: the service may have made and billed it.
  if (record.status !== 'SUCCEEDED') return { kind: 'unknown', currency: price.currency };
  const seconds = billedSeconds(record.usage, price.billedOn);
  if (seconds === undefined) return { kind: 'unknown', currency: price.currency };
  return { kind: 'billed', currency: price.currency, amount: seconds * price.perSecond, seconds };
}

/** One formatter per time zone: making one costs far more than using it, and totals read every stored task. */
const calendars = new Map<string | undefined, Intl.DateTimeFormat>();

/** The local calendar day, week (from Monday) and month of a moment, in `timeZone` (an IANA name, or undefined for the system's). */
export function calendarOf(time: number, timeZone?: string): { day: string; week: string; month: string } {
  let calendar = calendars.get(timeZone);
  if (!calendar) {
    calendar = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' });
    calendars.set(timeZone, calendar);
  }
  const parts = calendar.formatToParts(new Date(time));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  const [year, month, day] = [Number(part('year')), Number(part('month')), Number(part('day'))];
  const sinceMonday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(part('weekday'));
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  return { day: iso(new Date(Date.UTC(year, month - 1, day))), week: iso(new Date(Date.UTC(year, month - 1, day - sinceMonday))), month: iso(new Date(Date.UTC(year, month - 1, 1))).slice(0, 7) };
}

/** What one endpoint cost in one currency over a period. */
export interface SpendingRow {
  /** The endpoint's host. */
  endpoint: string;
  currency: Currency;
  /** Finished tasks, billed. */
  spent: number;
  /** Tasks still running, at their estimate. */
  expected: MoneyRange;
  /** Tasks whose price (or billed seconds) is unknown: not in the figures. */
  unknown: number;
  /** Failed and cancelled tasks: not billed. */
  free: number;
  tasks: number;
}

export interface Spending {
  today: SpendingRow[];
  week: SpendingRow[];
  month: SpendingRow[];
}

/** Each task counts on the day it was submitted, in `timeZone`. */
export function spendingTotals(records: readonly TaskRecord[], now: number, timeZone?: string): Spending {
  const current = calendarOf(now, timeZone);
  const periods: Spending = { today: [], week: [], month: [] };
  for (const record of records) {
    const when = calendarOf(record.createdAt, timeZone);
    const cost = costOf(record);
    if (when.day === current.day) addTo(periods.today, record, cost);
    if (when.week === current.week) addTo(periods.week, record, cost);
    if (when.month === current.month) addTo(periods.month, record, cost);
  }
  return periods;
}

/** Counts a task in the row of its endpoint and currency, made when missing. */
export function addTo(rows: SpendingRow[], record: TaskRecord, cost: TaskCost): void {
  // A task with no known price is counted under its endpoint's currency when known, else the endpoint's first row.
  const currency = cost.kind === 'free' ? record.price?.currency : cost.currency;
  const endpoint = new URL(record.baseUrl).host;
  let row = rows.find((r) => r.endpoint === endpoint && (currency === undefined || r.currency === currency));
  if (!row) {
    row = { endpoint, currency: currency ?? 'CNY', spent: 0, expected: { low: 0, high: 0 }, unknown: 0, free: 0, tasks: 0 };
    rows.push(row);
  }
  row.tasks++;
  if (cost.kind === 'free') row.free++;
  else if (cost.kind === 'unknown') row.unknown++;
  else if (cost.kind === 'billed') row.spent += cost.amount;
  else {
    row.expected.low += cost.low;
    row.expected.high += cost.high;
  }
}

/** Today's spending in `currency` on every endpoint, running tasks at their highest estimate: what a daily budget counts. */
export function spentToday(records: readonly TaskRecord[], currency: Currency, now: number, timeZone?: string): number {
  return spendingTotals(records, now, timeZone).today
    .filter((row) => row.currency === currency)
    .reduce((sum, row) => sum + row.spent + row.expected.high, 0);
}

/** "¥12.00 today · ¥40.00 this week · ¥120.00 this month", one part per currency; undefined when nothing was spent this month. */
export function spendingSummary(spending: Spending): string | undefined {
  const currencies = [...new Set(spending.month.map((row) => row.currency))];
  const total = (rows: SpendingRow[], currency: Currency) => rows.filter((r) => r.currency === currency).reduce((sum, r) => sum + r.spent + r.expected.low, 0);
  const parts = currencies
    .filter((currency) => spending.month.some((row) => row.currency === currency && row.tasks > row.free))
    .map((currency) => l10n.t('{0} today · {1} this week · {2} this month',
      formatMoney(total(spending.today, currency), currency), formatMoney(total(spending.week, currency), currency), formatMoney(total(spending.month, currency), currency)));
  return parts.length > 0 ? parts.join(' | ') : undefined;
}

/** The running tasks' estimates, per currency: "≈ ¥9.00", "≈ ¥9.00 · ≈ $0.42"; undefined when none has a price. */
export function runningEstimate(records: readonly TaskRecord[]): string | undefined {
  const sums = new Map<Currency, MoneyRange>();
  for (const record of records) {
    const cost = costOf(record);
    if (cost.kind !== 'expected') continue;
    const sum = sums.get(cost.currency) ?? { low: 0, high: 0 };
    sums.set(cost.currency, { low: sum.low + cost.low, high: sum.high + cost.high });
  }
  if (sums.size === 0) return undefined;
  return [...sums].map(([currency, range]) => `≈ ${formatRange(range, currency)}`).join(' · ');
}

/** What the Tasks view's tooltip and the preview say a task cost: "¥3.00 (5 s × ¥0.60/s, list price)", "not billed", "≈ ¥3.00 (estimate)". */
export function costLabel(record: TaskRecord): string {
  const cost = costOf(record);
  const price = record.price;
  if (cost.kind === 'free') return l10n.t('not billed ({0})', record.status === 'FAILED' ? l10n.t('failed') : l10n.t('cancelled'));
  if (cost.kind === 'unknown' || !price || price.perSecond === undefined) return price ? l10n.t('price unknown ({0})', price.source) : l10n.t('price unknown');
  const notes = [price.source, price.date, price.unverified && l10n.t('unverified'), price.listPrice && l10n.t('list price')].filter(Boolean).join(', ');
  if (cost.kind === 'expected') return l10n.t('≈ {0} (estimate; {1})', formatRange(cost, cost.currency), notes);
  return l10n.t('{0} ({1} s × {2}; {3})', formatMoney(cost.amount, cost.currency), Math.round(cost.seconds * 100) / 100, formatPerSecond(price.perSecond, price.currency), notes);
}

