// What the extension and the soundtrack worker say to each other.

export interface ConvertRequest {
  id: number;
  input: string;
  output: string;
}

/** `code` is soundtrack_convert's answer (native/soundtrack/soundtrack.c), or -1 when the wasm could not run. */
export interface ConvertReply {
  id: number;
  code: number;
  message: string;
}

/** soundtrack_convert's answers. */
export const CONVERTED = 0;
export const NO_SOUNDTRACK = 1;
export const NOT_AAC = 2;
