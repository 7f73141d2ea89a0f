// Submitting, loaded on the first generate command (see loader.ts): the submitter (plans, estimates, the cap, uploads,
// creates) and the commands on images and clips.
export { MediaCommands } from '../generate/mediaCommands';
export { Submitter } from '../generate/submitter';
