// Third bundle: the prompt-file parser and its YAML library. Loaded through loadPromptParser() in lazy.ts.
export { parsePromptFile, PROMPT_FILE_KEYS } from './prompt/promptFile';
