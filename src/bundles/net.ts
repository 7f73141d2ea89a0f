// Second bundle: everything that needs undici, and the poller, keeper and leases that only run when there is a task
// to follow (then the network is needed too), and the soundtrack converter that follows a download (its worker and
// wasm are files of their own). Loaded through loadNet() in loader.ts.
export { WanClient } from '../wan/client';
export { downloadVideo } from '../wan/download';
export { closeDispatcher } from '../wan/http';
export { WanUploader } from '../wan/upload';
export { TaskLeases } from '../tasks/taskLeases';
export { TaskPoller } from '../tasks/taskPoller';
export { VideoKeeper } from '../tasks/videoKeeper';
export { compareMedia, inlineImage, MediaSendError, resolveLocal, transportMedia, withInlineAdvice } from '../tasks/mediaTransport';
export { SoundtrackConverter } from '../sound/soundtrack';
export { SoundtrackCopies } from '../sound/soundtrackCopies';
