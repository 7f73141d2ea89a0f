// Second bundle: everything that needs undici. Loaded through loadNet() in lazy.ts.
export {};
