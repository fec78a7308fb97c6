/**
 * Whether the engine adopts what Kaltura's own Zoom integration ingested
 * (`kaltura.adopt`): the lookup is the Kaltura sink itself, read-only.
 */
import type { Config } from '../config/schema.js';
import type { MediaSink } from '../ingest/ports.js';
import type { ZoomIntegrationLookup } from '../ingest/adopt-port.js';

export function adoptionLookup(config: Config, sink: MediaSink & Partial<ZoomIntegrationLookup>): ZoomIntegrationLookup | undefined {
  if (config.kaltura.adopt !== 'zoomIntegration') return undefined;
  const { findIntegrationEntries, listIntegrationAssets, findIntegrationEntriesAndOwn } = sink;
  if (!findIntegrationEntries || !listIntegrationAssets) return undefined;
  return { findIntegrationEntries, listIntegrationAssets, ...(findIntegrationEntriesAndOwn ? { findIntegrationEntriesAndOwn } : {}) };
}
