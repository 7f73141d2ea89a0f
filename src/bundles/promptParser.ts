// Third bundle: the prompt-file parser, its key documentation and its YAML library, and the model rules. Loaded through loadPromptParser() in loader.ts.
export { blockingProblems, frontMatterAt, isMediaKey, isWebLink, parsePromptFile, promptAt, PROMPT_FILE_KEYS, videoCount } from '../prompt/promptFile';
export { keyDoc, keysFor, valueSuggestions } from '../prompt/keys';
// The checks of the local files a prompt names, and the quick fix for a PNG with transparency.
export { flattenPng } from '../prompt/flattenPng';
export { checkMediaFiles, mediaFileInfo } from '../prompt/mediaFiles';
export { mediaExtensions } from '../wan/mediaRules';
// The model table and the parameter rules (lazyShared.js, which net.js shares), for the code activation loads.
export { checkSetting, DEFAULT_MODEL, defaultsForModel, LIMITS, promptInputProblem, takesRandomSeed, toCreateBody, validateParams } from '../wan/params';
export { rulesFor } from '../wan/models';
// What a submission will cost, and whether the cap and the daily budget let it go.
export { checkCurrencyAmounts, checkPriceOverrides, checkSpend, estimateLabel, estimateSubmission, estimateTask, lengthLabel } from '../tasks/costs';
export { spendingReport } from '../tasks/spendingReport';
