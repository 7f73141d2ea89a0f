// What a prompt file's prompts will cost, for the lenses and hover: each prompt's fields under the settings, priced
// on the current endpoint. A setting that cannot be read leaves the estimate out; submitting says what is wrong.
import { loadPromptParser } from '../bundles/loader';
import type { PromptEntry } from '../prompt/promptFile';
import type { CostInput, PriceEndpoint, PriceOverrides, SubmissionEstimate } from '../tasks/costs';
import { readDefaults, readEndpoint, readPriceOverrides } from '../vscode/settings';

export interface CostContext {
  endpoint: PriceEndpoint;
  overrides: PriceOverrides;
  settings: ReturnType<typeof readDefaults>;
}

export function costContext(): CostContext | undefined {
  try {
    return { endpoint: readEndpoint(), overrides: readPriceOverrides(), settings: readDefaults() };
  } catch {
    return undefined;
  }
}

/** One input per video the entry asks for (its variations), with `change` applied (hover's "one more second"). */
export function costInputs(entry: PromptEntry, context: CostContext, change: Partial<CostInput> = {}): CostInput[] {
  const fields = { ...loadPromptParser().defaultsForModel(context.settings, entry.model), ...entry.overrides };
  const input: CostInput = {
    model: entry.model,
    resolution: fields.resolution as string | undefined,
    size: fields.size as string | undefined,
    duration: typeof fields.duration === 'number' ? fields.duration : undefined,
    ...change,
  };
  return entry.seeds.map(() => input);
}

export function estimateEntries(entries: readonly PromptEntry[], context: CostContext): SubmissionEstimate {
  return loadPromptParser().estimateSubmission(entries.flatMap((entry) => costInputs(entry, context)), context.endpoint, context.overrides);
}
