// Small number helpers.

/** `value`, but no less than `min` and no more than `max`. */
export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
