// Choosing among takes, loaded on first use (see loader.ts): the Compare Takes grid, and what Keep and Discard the
// Others do to records, sidecars and files.
export { CompareTakes } from '../preview/compareTakes';
export { TakeChoices } from '../taskView/takeChoices';
