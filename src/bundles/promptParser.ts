// Third bundle: the prompt-file parser, its key documentation and its YAML library, and the model rules. Loaded through loadPromptParser() in loader.ts.
export { blockingProblems, frontMatterAt, parsePromptFile, promptAt, PROMPT_FILE_KEYS, videoCount } from '../prompt/promptFile';
export { keyDoc, keysFor, valueSuggestions } from '../prompt/keys';
// The model table and the parameter rules (lazyShared.js, which net.js shares), for the code activation loads.
export { checkSetting, DEFAULT_MODEL, defaultsForModel, LIMITS, promptInputProblem, takesRandomSeed, toCreateBody, validateParams } from '../wan/params';
export { rulesFor } from '../wan/models';
