export { createKalturaSink, type KalturaSinkOptions } from './sink.js';
export { createKalturaClient, type KalturaClient, type KalturaClientOptions, type KalturaCallInfo, type KalturaLogger } from './client.js';
export { generateKsV2, type KsV2Options, type KsType } from './ks.js';
