/** Zoom adapter: the RecordingSource for one account, plus helpers others need. */
export { createZoomSource, type ZoomSourceOptions } from './source.js';
export { encodeMeetingUuid } from './uuid.js';
export type { ZoomCallInfo } from './api-client.js';
export type { ZoomCredentials } from './token.js';
export type { BackoffPolicy } from './retry.js';
