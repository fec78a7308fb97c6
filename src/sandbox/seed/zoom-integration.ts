/**
 * Kaltura entries made the way Kaltura's own Zoom integration makes them
 * (kaltura/server plugins/vendor/zoom, KZoomDropFolderEngine::processFolder and
 * its processors: https://github.com/kaltura/server/tree/master/plugins/vendor/zoom): per recording segment a
 * parent entry with referenceId `Zoom_<uuid><recording_start>` (the first MP4
 * by layout priority, or the M4A when the segment has no MP4), other MP4 views
 * as children with referenceId `Zoom_<uuid>` and parentEntryId, adminTags
 * `zoomentry`, the integration's description, captions `Zoom_TRANSCRIPT` /
 * `Zoom_CC` and the chat attachment `Recording <id> chat file.txt` on the
 * parent. Used to try and test switching over to zk (adoption).
 */
import { contentKindForExtension, contentSha256, contentText } from '../content.js';
import type { KalturaSeedEntry } from '../kaltura/seed-types.js';
import type { ZoomSeedFile, ZoomSeedMeeting } from '../zoom/seed-types.js';
import { LAYOUT_PRIORITY } from '../../ingest/plan-segment.js';

/** How the integration left one segment. */
export interface IntegrationSegmentPlan {
  meeting: ZoomSeedMeeting;
  /** The segment (a recording_start); default: every segment of the meeting. */
  recordingStart?: string;
  /** Zoom file ids the integration did not ingest (a partial segment). */
  omit?: string[];
  /** Status of the parent entry (e.g. -1 ERROR_CONVERTING); default READY. */
  parentStatus?: number;
  /** Moderation status of the parent (1 pending hides it from Kaltura's default lists). */
  parentModerationStatus?: number;
  /** List sizeInBytes on source flavors (default true); false = only `size` in KB, as older deployments do. */
  sizeInBytes?: boolean;
}

export const INTEGRATION_OWNER = 'kaltura-zoom-integration-owner';

const rank = (recordingType: string) => {
  const i = (LAYOUT_PRIORITY as readonly string[]).indexOf(recordingType.toLowerCase());
  return i === -1 ? LAYOUT_PRIORITY.length : i;
};

function meetingTime(iso: string): string {
  // The integration writes a GMT date; its exact format is not relied on by zk.
  return `${new Date(iso).toUTCString().replace('GMT', '').trim()} GMT`;
}

export async function zoomIntegrationEntries(plans: readonly IntegrationSegmentPlan[], idPrefix = '0_zi'): Promise<KalturaSeedEntry[]> {
  const out: KalturaSeedEntry[] = [];
  let n = 0;
  const nextId = () => `${idPrefix}${String(++n).padStart(6, '0')}`;
  for (const plan of plans) {
    const m = plan.meeting;
    const starts = plan.recordingStart ? [plan.recordingStart] : [...new Set(m.files.map((f) => f.recordingStart))];
    for (const start of starts) {
      const files = m.files.filter((f) => f.recordingStart === start && !(plan.omit ?? []).includes(f.id ?? ''));
      const mp4 = files.filter((f) => f.fileType === 'MP4');
      const media = (mp4.length > 0 ? mp4 : files.filter((f) => f.fileType === 'M4A')).sort((a, b) => rank(a.recordingType) - rank(b.recordingType));
      if (media.length === 0) continue;
      const common = {
        name: m.topic,
        description: `Zoom Recording ID: ${m.id}\nUUID: ${m.uuid}\nMeeting Time: ${meetingTime(m.startTime)}`,
        userId: INTEGRATION_OWNER,
        adminTags: 'zoomentry',
      };
      const source = async (f: ZoomSeedFile) => ({
        sizeBytes: f.fileSize,
        sha256: await contentSha256(f.id!, f.fileSize, contentKindForExtension(f.fileExtension)),
        fileExt: f.fileExtension.toLowerCase(),
        reportSizeInBytes: plan.sizeInBytes ?? true,
      });
      const parentId = nextId();
      const [first, ...rest] = media;
      out.push({
        ...common,
        id: parentId,
        status: plan.parentStatus ?? 2,
        moderationStatus: plan.parentModerationStatus,
        mediaType: first.fileType === 'M4A' ? 5 : 1,
        referenceId: `Zoom_${m.uuid}${start}`,
        source: await source(first),
        captions: files
          .filter((f) => f.fileType === 'TRANSCRIPT' || f.fileType === 'CC')
          .map((f) => ({ label: `Zoom_${f.fileType}`, language: 'English', content: contentText(f.id!, f.fileSize, 'vtt') })),
        attachments: files
          .filter((f) => f.fileType === 'CHAT')
          .map((f) => ({ filename: `Recording ${m.id} chat file.txt`, title: `Recording ${m.id} chat file.txt`, content: contentText(f.id!, f.fileSize, 'txt') })),
      });
      for (const f of rest) {
        out.push({ ...common, id: nextId(), status: 2, mediaType: 1, referenceId: `Zoom_${m.uuid}`, parentEntryId: parentId, source: await source(f) });
      }
    }
  }
  return out;
}

/**
 * The demo partner half ingested by Kaltura's integration: the lab meeting
 * partly (gallery view and chat missing), the first office-hours segment
 * only, the seminar with an errored parent, the webinar with its parent
 * pending moderation, the phone call with sizes in KB only. The rest is new.
 */
export function zoomIntegrationDemoPlans(meetings: Record<string, ZoomSeedMeeting>): IntegrationSegmentPlan[] {
  const oh = meetings.officeHours;
  return [
    { meeting: meetings.labMeeting, omit: ['f-lab-gv', 'f-lab-chat'] },
    { meeting: oh, recordingStart: oh.files.find((f) => f.id === 'f-oh-1-sv')!.recordingStart },
    { meeting: meetings.archivedSeminar, parentStatus: -1 },
    { meeting: meetings.researchWebinar, parentModerationStatus: 1 },
    { meeting: meetings.phoneSync, sizeInBytes: false },
  ];
}
