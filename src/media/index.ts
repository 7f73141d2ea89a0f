// What the editor calls to check a local media file: read its header, then check the facts against a key's limits.
export { checkMediaFile, type MediaLimits, type MediaProblem, type Range } from './mediaChecks';
export { readMediaInfo } from './mediaInfo';
export type * from './mediaTypes';
