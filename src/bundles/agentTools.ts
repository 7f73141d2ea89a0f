// Fourth bundle: the Language Model Tools' work (checking, confirming, submitting and reporting for an agent). Loaded through loadAgentTools() in loader.ts on a tool's first call.
export { VideoTools } from '../agentTools/videoTools';
