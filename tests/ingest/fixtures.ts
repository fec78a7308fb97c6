import type { FakeZoom } from '../fakes/fake-zoom.js';

/** A meeting with every kind of file Zoom produces. Sizes are small but span several 64 KiB chunks. */
export function seedFullMeeting(zoom: FakeZoom, uuid = 'uuid-A==', id = 111, startTime = '2025-03-09T15:00:00Z') {
  return zoom.addMeeting({
    uuid,
    id,
    topic: 'Weekly sync 🎓',
    startTime,
    files: [
      { id: `${id}-ss`, fileType: 'MP4', recordingType: 'shared_screen_with_speaker_view', size: 300_000 },
      { id: `${id}-sv`, fileType: 'MP4', recordingType: 'speaker_view', size: 200_001 },
      { id: `${id}-a`, fileType: 'M4A', recordingType: 'audio_only', size: 50_000 },
      { id: `${id}-t`, fileType: 'TRANSCRIPT', recordingType: 'audio_transcript', size: 2_000, extension: 'VTT' },
      { id: `${id}-ch`, fileType: 'CHAT', recordingType: 'chat_file', size: 500, extension: 'TXT' },
      { id: `${id}-tl`, fileType: 'TIMELINE', recordingType: 'timeline', size: 700, extension: 'JSON' },
    ],
  });
}
