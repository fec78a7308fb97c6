/**
 * Meeting UUIDs in URL paths: Zoom requires double encoding when a UUID starts
 * with '/' or contains '//' (its router decodes once before routing); every
 * other UUID is encoded once. This matches what Kaltura does.
 */
export function encodeMeetingUuid(uuid: string): string {
  const once = encodeURIComponent(uuid);
  return uuid.startsWith('/') || uuid.includes('//') ? encodeURIComponent(once) : once;
}
