// src/hub/api/schemas.ts, imported by the dashboard for its types only, names Node's
// Buffer (an upload's bytes). No Buffer ever reaches the browser; this stands in for it.
declare type Buffer = Uint8Array;
declare const Buffer: { isBuffer(value: unknown): value is Buffer };
