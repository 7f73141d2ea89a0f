// Reading JSON whose shape is not known in advance.

export type Json = Record<string, unknown>;

/** `value` when it is a JSON object (not null, not an array). */
export function asRecord(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}
