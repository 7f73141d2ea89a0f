// Show Spending's page: the totals per endpoint and currency, then each day and model. Loaded on first use (promptParser.js).
import * as l10n from '@vscode/l10n';
import { addTo, calendarOf, costOf, formatMoney, formatRange, spendingTotals, type SpendingRow } from './spending';
import type { TaskRecord } from './taskRecord';

/** One row per day, endpoint and model, newest day first: what Show Spending lists. */
export function spendingByDay(records: readonly TaskRecord[], timeZone?: string): { day: string; model: string; row: SpendingRow }[] {
  const days = new Map<string, { day: string; model: string; rows: SpendingRow[] }>();
  for (const record of records) {
    const day = calendarOf(record.createdAt, timeZone).day;
    const key = `${day} ${record.params.model}`;
    const entry = days.get(key) ?? { day, model: record.params.model, rows: [] };
    days.set(key, entry);
    addTo(entry.rows, record, costOf(record));
  }
  return [...days.values()]
    .sort((a, b) => b.day.localeCompare(a.day) || a.model.localeCompare(b.model))
    .flatMap(({ day, model, rows }) => rows.map((row) => ({ day, model, row })));
}

/** Show Spending's page: the totals per endpoint and currency, then each day and model, as Markdown. */
export function spendingReport(records: readonly TaskRecord[], now: number, timeZone?: string): string {
  const totals = spendingTotals(records, now, timeZone);
  const money = (row: SpendingRow | undefined) => {
    if (!row) return '–';
    const running = row.expected.high > 0 ? ` ${l10n.t('+ ≈ {0} running', formatRange(row.expected, row.currency))}` : '';
    const unknown = row.unknown > 0 ? ` ${l10n.t('+ {0} price unknown', row.unknown)}` : '';
    return `${formatMoney(row.spent, row.currency)}${running}${unknown}`;
  };
  const lines = [
    `# ${l10n.t('Wan Video spending')}`,
    '',
    l10n.t('What the tasks this machine keeps cost: succeeded ones by the seconds the service billed times the price they were submitted at, running ones at their estimate. Failed and cancelled tasks are not billed. Tasks removed from the Tasks view are not counted.'),
    '',
    `| ${l10n.t('endpoint')} | ${l10n.t('today')} | ${l10n.t('this week')} | ${l10n.t('this month')} |`,
    '|---|---|---|---|',
    ...totals.month.map((row) => {
      const same = (other: SpendingRow) => other.endpoint === row.endpoint && other.currency === row.currency;
      return `| ${row.endpoint} (${row.currency}) | ${money(totals.today.find(same))} | ${money(totals.week.find(same))} | ${money(row)} |`;
    }),
    '',
    `## ${l10n.t('Per day and model')}`,
    '',
    `| ${l10n.t('day')} | ${l10n.t('model')} | ${l10n.t('endpoint')} | ${l10n.t('spent')} | ${l10n.t('videos')} | ${l10n.t('not billed')} |`,
    '|---|---|---|---|---|---|',
    ...spendingByDay(records, timeZone).map(({ day, model, row }) => `| ${day} | ${model} | ${row.endpoint} | ${money(row)} | ${row.tasks} | ${row.free} |`),
  ];
  if (totals.month.length === 0) lines.splice(4, 2, l10n.t('Nothing was submitted this month.'));
  return lines.join('\n') + '\n';
}
