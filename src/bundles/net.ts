// Second bundle: everything that needs undici. Loaded through loadNet() in loader.ts.
export { WanClient } from '../wan/client';
export { downloadVideo } from '../wan/download';
export { closeDispatcher } from '../wan/http';
export { compareMedia, MediaSendError, resolveLocal, transportMedia } from '../tasks/mediaTransport';
