// What a submission will cost before it is sent, and whether to send it: the price of a model and resolution on an
// endpoint (the model table's, or the user's wan.prices), the estimate of a list of planned tasks, and the cap and
// daily budget's decision. Pure: the editor's lenses, hover and submitter and the agent's tools share it.
import * as l10n from '@vscode/l10n';
import { workspaceOf, type EndpointId } from '../wan/endpoints';
import { findSize, hasFixedDuration, INPUT_LENGTH, MODEL_CHOOSES, rulesFor, type Currency, type ModelRules, type OutputTier, type PriceTier } from '../wan/models';
import { formatMoney, formatRange, type MoneyRange, type UnitPrice } from './spending';

/** wan.prices: per endpoint, model and resolution, the price per second in that endpoint's currency. */
export type PriceOverrides = Partial<Record<EndpointId, Record<string, Partial<Record<OutputTier, number>>>>>;

export interface PriceEndpoint {
  id: EndpointId;
  baseUrl: string;
}

/** What a planned task asks for, as far as its price goes: the GenerationParams fields, before or after checking. */
export interface CostInput {
  model: string;
  resolution?: string;
  size?: string;
  duration?: number;
  /** Seconds of the input video (an edit's), when read from its file. */
  inputSeconds?: number;
}

export interface TaskEstimate {
  price: UnitPrice;
  tier?: OutputTier;
  /** Seconds billed, shortest to longest. */
  seconds: MoneyRange;
  /** Undefined where the price is unknown. */
  cost?: MoneyRange;
}

/** The same model, resolution and length, counted once. */
export interface EstimateLine {
  model: string;
  tier?: OutputTier;
  seconds: MoneyRange;
  count: number;
  cost?: MoneyRange;
}

export interface SubmissionEstimate {
  currency: Currency;
  /** Of the tasks with a known price. */
  total: MoneyRange;
  tasks: number;
  /** Tasks whose price is unknown: not in the total. */
  unknown: number;
  lines: EstimateLine[];
  /** Each price's source, once: "Alibaba Cloud Model Studio price list (Beijing), 2026-12-01, list price". */
  sources: string[];
  /** Some price is derived, not published. */
  unverified: boolean;
}

/**
 * Whose price list an endpoint bills by: APIYI's own (USD), Model Studio Beijing's (CNY); every other endpoint (custom,
 * Singapore, other regions' workspaces) is shown the Beijing list prices, labelled as list prices.
 */
export function priceListOf(endpoint: PriceEndpoint): { list: 'official' | 'apiyi'; listPrice: boolean } {
  if (endpoint.id === 'apiyi') return { list: 'apiyi', listPrice: false };
  if (endpoint.id === 'dashscope') return { list: 'official', listPrice: false };
  if (endpoint.id === 'workspace' && workspaceOf(new URL(endpoint.baseUrl).host)?.region === 'cn-beijing') return { list: 'official', listPrice: false };
  return { list: 'official', listPrice: true };
}

export function currencyOf(endpoint: PriceEndpoint): Currency {
  return priceListOf(endpoint).list === 'apiyi' ? 'USD' : 'CNY';
}

/** The resolution a task is billed at: its own, its size's, else what the service makes when none is sent. */
export function tierOf(input: CostInput, rules: ModelRules = rulesFor(input.model)): OutputTier | undefined {
  if (input.resolution) return input.resolution as OutputTier;
  if (input.size) return findSize(rules, input.size)?.tier;
  const size = rules.defaults.size && findSize(rules, rules.defaults.size);
  return rules.defaults.resolution ?? rules.serviceDefaults.resolution ?? (size ? size.tier : undefined);
}

export function priceFor(model: string, tier: OutputTier | undefined, endpoint: PriceEndpoint, overrides: PriceOverrides = {}): UnitPrice {
  const rules = rulesFor(model);
  const { list, listPrice } = priceListOf(endpoint);
  const currency = currencyOf(endpoint);
  const billedOn = rules.prices.billedOn ?? 'output';
  const own = tier && overrides[endpoint.id]?.[model.trim().toLowerCase()]?.[tier];
  if (own !== undefined) return { currency, perSecond: own, billedOn, source: l10n.t('your wan.prices'), override: true };
  const row: PriceTier | undefined = rules.prices[list];
  const perSecond = tier && row?.perSecond[tier];
  if (!row || perSecond === undefined) return { currency, billedOn, source: l10n.t('no published price') };
  return { currency, perSecond, billedOn, source: row.source, date: row.date, ...(row.estimate && { unverified: true as const }), ...(listPrice && { listPrice: true as const }) };
}

/** The seconds the service will make: -1 (the model chooses) and 0 (the input's length) are ranges. */
export function outputSeconds(input: CostInput, rules: ModelRules = rulesFor(input.model)): MoneyRange {
  const rule = rules.durations;
  // What is sent when the task names no length: the row's default, else the service's.
  const duration = input.duration ?? rules.defaults.duration ?? (hasFixedDuration(rules) && rule.kind === 'choices' ? rule.choices[0] : rules.serviceDefaults.duration);
  if (duration === MODEL_CHOOSES) return rule.kind === 'range' ? { low: rule.min, high: rule.max } : span(rule.choices);
  if (duration === INPUT_LENGTH) return inputSeconds(input, rules);
  return { low: duration, high: duration };
}

/** An input video's seconds: read from its file, else the lengths the model takes. */
function inputSeconds(input: CostInput, rules: ModelRules): MoneyRange {
  if (input.inputSeconds !== undefined) return { low: input.inputSeconds, high: input.inputSeconds };
  const limits = rules.media?.seconds?.video ?? rules.media?.seconds?.reference_video;
  if (limits) return { low: limits.min, high: limits.max };
  return rules.durations.kind === 'range' ? { low: rules.durations.min, high: rules.durations.max } : span(rules.durations.choices);
}

function span(values: readonly number[]): MoneyRange {
  return { low: Math.min(...values), high: Math.max(...values) };
}

export function estimateTask(input: CostInput, endpoint: PriceEndpoint, overrides: PriceOverrides = {}): TaskEstimate {
  const rules = rulesFor(input.model);
  const tier = tierOf(input, rules);
  const price = priceFor(input.model, tier, endpoint, overrides);
  const out = outputSeconds(input, rules);
  const seconds = price.billedOn === 'input-and-output' ? add(out, inputSeconds(input, rules)) : out;
  const cost = price.perSecond === undefined ? undefined : { low: seconds.low * price.perSecond, high: seconds.high * price.perSecond };
  return { price, tier, seconds, ...(cost && { cost }) };
}

function add(a: MoneyRange, b: MoneyRange): MoneyRange {
  return { low: a.low + b.low, high: a.high + b.high };
}

export function estimateSubmission(inputs: readonly CostInput[], endpoint: PriceEndpoint, overrides: PriceOverrides = {}): SubmissionEstimate {
  const lines: EstimateLine[] = [];
  const sources = new Set<string>();
  let total: MoneyRange = { low: 0, high: 0 };
  let unknown = 0;
  let unverified = false;
  for (const input of inputs) {
    const estimate = estimateTask(input, endpoint, overrides);
    const { price, cost, tier, seconds } = estimate;
    if (cost) {
      total = add(total, cost);
      sources.add([price.source, price.date, price.listPrice && l10n.t('list price'), price.unverified && l10n.t('unverified')].filter(Boolean).join(', '));
    } else unknown++;
    if (price.unverified) unverified = true;
    const line = lines.find((l) => l.model === input.model && l.tier === tier && l.seconds.low === seconds.low && l.seconds.high === seconds.high);
    if (line) {
      line.count++;
      if (line.cost && cost) line.cost = add(line.cost, cost);
    } else lines.push({ model: input.model, tier, seconds, count: 1, ...(cost && { cost }) });
  }
  return { currency: currencyOf(endpoint), total, tasks: inputs.length, unknown, lines, sources: [...sources], unverified };
}

/** "≈ ¥3.00", "≈ ¥1.20–18.00", "≈ ¥3.00 (unverified)", "≈ ¥3.00 + 2 price unknown", "price unknown". */
export function estimateLabel(estimate: SubmissionEstimate): string {
  if (estimate.unknown === estimate.tasks) return l10n.t('price unknown');
  let label = `≈ ${formatRange(estimate.total, estimate.currency)}`;
  if (estimate.unverified) label = l10n.t('{0} (unverified)', label);
  if (estimate.unknown > 0) label = l10n.t('{0} + {1} price unknown', label, estimate.unknown);
  return label;
}

/** "5 s 720P", "2–30 s 1080P". */
export function lengthLabel(seconds: MoneyRange, tier: OutputTier | undefined): string {
  const length = seconds.low === seconds.high ? l10n.t('{0} s', seconds.low) : l10n.t('{0}–{1} s', seconds.low, seconds.high);
  return tier ? `${length} ${tier}` : length;
}

/** wan.confirmCostAbove and wan.budget.daily, per currency; a currency left out is not limited. */
export interface SpendSettings {
  confirmAbove: Partial<Record<Currency, number>>;
  dailyBudget: Partial<Record<Currency, number>>;
}

export type SpendDecision =
  | { kind: 'ok' }
  /** Ask the user, in a modal: `message` the question, `detail` what will be made and why it asks. */
  | { kind: 'confirm'; message: string; detail: string }
  | { kind: 'refuse'; message: string };

/**
 * Whether a submission may go: refused when even its lowest estimate would take today's spending past the daily
 * budget; asked about when it may (a range, or prices unknown) or when it costs more than wan.confirmCostAbove.
 * `spentToday`: today's spending in the estimate's currency, running tasks included (spending.ts spentToday).
 */
export function checkSpend(estimate: SubmissionEstimate, settings: SpendSettings, spentToday: number): SpendDecision {
  const { currency, total } = estimate;
  const money = (amount: number) => formatMoney(amount, currency);
  const reasons: string[] = [];
  const budget = settings.dailyBudget[currency];
  if (budget !== undefined) {
    const left = Math.max(0, budget - spentToday);
    const change = l10n.t('To allow more, raise wan.budget.daily (Settings) or remove it; or submit fewer, shorter or lower-resolution videos.');
    if (total.low > left + 1e-9) {
      return {
        kind: 'refuse',
        message: l10n.t('Not submitted: this would cost {0}, and your daily budget of {1} has {2} left today ({3} spent or running). {4}', estimateLabel(estimate), money(budget), money(left), money(spentToday), change),
      };
    }
    if (total.high > left + 1e-9) reasons.push(l10n.t('It may cost more than the {0} left of today\'s budget of {1}: the length is known only once the service makes it.', money(left), money(budget)));
    if (estimate.unknown > 0) reasons.push(l10n.t('{0} of the videos have no known price, so the daily budget ({1} left) cannot be checked for them.', estimate.unknown, money(left)));
  }
  const cap = settings.confirmAbove[currency];
  if (cap !== undefined && total.high > cap + 1e-9) reasons.push(l10n.t('The estimate is over wan.confirmCostAbove ({0}).', money(cap)));
  if (reasons.length === 0) return { kind: 'ok' };
  return { kind: 'confirm', message: confirmQuestion(estimate), detail: [...whatWillBeMade(estimate), '', ...reasons].join('\n') };
}

function confirmQuestion(estimate: SubmissionEstimate): string {
  return estimate.tasks === 1
    ? l10n.t('Submit 1 video for {0}?', estimateLabel(estimate))
    : l10n.t('Submit {0} videos for {1}?', estimate.tasks, estimateLabel(estimate));
}

/** One line per kind of video, then where the prices come from and what is not counted. */
export function whatWillBeMade(estimate: SubmissionEstimate): string[] {
  const lines = estimate.lines.map((line) => {
    const cost = line.cost ? `≈ ${formatRange(line.cost, estimate.currency)}` : l10n.t('price unknown');
    return `${line.count} × ${line.model} · ${lengthLabel(line.seconds, line.tier)} · ${cost}`;
  });
  if (estimate.unknown > 0) lines.push(l10n.t('{0} video(s) with no known price are not in the total: set their price in wan.prices.', estimate.unknown));
  if (estimate.sources.length > 0) lines.push(l10n.t('Prices: {0}.', estimate.sources.join('; ')));
  return lines;
}

/** wan.prices as written: every price a number of at least 0 under an endpoint, a model and a resolution. */
export function checkPriceOverrides(raw: unknown): { overrides: PriceOverrides } | { problem: string } {
  const example = '{ "apiyi": { "wan2.7-t2v": { "720P": 0.07 } } }';
  if (raw === undefined || raw === null) return { overrides: {} };
  const endpoints: readonly string[] = ['apiyi', 'dashscope', 'dashscope-intl', 'workspace', 'custom'];
  const tiers: readonly string[] = ['480P', '720P', '1080P'];
  if (!isObject(raw)) return { problem: l10n.t('wan.prices must be an object such as {0}.', example) };
  const overrides: PriceOverrides = {};
  for (const [endpoint, models] of Object.entries(raw)) {
    if (!endpoints.includes(endpoint) || !isObject(models)) return { problem: l10n.t('wan.prices: "{0}" is not an endpoint ({1}); write prices as {2}.', endpoint, endpoints.join(', '), example) };
    const byModel: Record<string, Partial<Record<OutputTier, number>>> = {};
    for (const [model, prices] of Object.entries(models)) {
      if (!isObject(prices)) return { problem: l10n.t('wan.prices: the prices of {0} must be an object of resolutions, such as {1}.', model, example) };
      for (const [tier, price] of Object.entries(prices)) {
        if (!tiers.includes(tier)) return { problem: l10n.t('wan.prices: {0} of {1} is not a resolution ({2}).', tier, model, tiers.join(', ')) };
        if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) return { problem: l10n.t('wan.prices: the price of {0} at {1} must be a number of at least 0 (per second, in the endpoint\'s currency).', model, tier) };
      }
      byModel[model.trim().toLowerCase()] = prices as Partial<Record<OutputTier, number>>;
    }
    overrides[endpoint as EndpointId] = byModel;
  }
  return { overrides };
}

/** wan.confirmCostAbove or wan.budget.daily as written: a number of at least 0 per currency (null: no limit). */
export function checkCurrencyAmounts(setting: string, raw: unknown): { amounts: Partial<Record<Currency, number>> } | { problem: string } {
  if (raw === undefined || raw === null) return { amounts: {} };
  const problem = { problem: l10n.t('{0} must be an object of amounts per currency, such as {1} (null or left out: no limit).', setting, '{"CNY": 20, "USD": 3}') };
  if (!isObject(raw)) return problem;
  const amounts: Partial<Record<Currency, number>> = {};
  for (const [currency, amount] of Object.entries(raw)) {
    if (currency !== 'CNY' && currency !== 'USD') return problem;
    if (amount === null) continue;
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) return problem;
    amounts[currency] = amount;
  }
  return { amounts };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
