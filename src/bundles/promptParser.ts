// Third bundle: the prompt-file parser, its key documentation and its YAML library. Loaded through loadPromptParser() in loader.ts.
export { blockingProblems, frontMatterAt, parsePromptFile, promptAt, PROMPT_FILE_KEYS, videoCount } from '../prompt/promptFile';
export { keyDoc, keysFor, valueSuggestions } from '../prompt/keys';
