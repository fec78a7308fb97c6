export { createKalturaSink, type KalturaSinkOptions } from './sink.js';
export { createKalturaClient, type KalturaClient, type KalturaClientOptions, type KalturaCallInfo } from './client.js';
export { generateKsV2, type KsV2Options, type KsType } from './ks.js';
