/**
 * The Zoom sandbox modes the RecordingSource contract runs against: [name, faults set at start,
 * the answers that mode changes]. A new mode is one line here.
 */
import type { ZoomFaults } from '../../src/sandbox/zoom/server.js';
import type { ZoomModeAnswers } from './zoom-source.contract.js';

const PLAIN: ZoomModeAnswers = { mediaLengthKnown: true, textLengthKnown: true };

export const ZOOM_MODES: Array<[string, ZoomFaults, ZoomModeAnswers]> = [
  ['default', {}, PLAIN],
  ['slow answers (slowMs)', { slowMs: 15 }, PLAIN],
  ['CDN on the API origin (cdnSameOrigin)', { cdnSameOrigin: true }, PLAIN],
  ['inexact text sizes (textSizeSkew)', { textSizeSkew: 7 }, PLAIN],
  ['text files without Content-Length', { omitContentLength: 'text' }, { mediaLengthKnown: true, textLengthKnown: false }],
  ['no Content-Length at all', { omitContentLength: 'all' }, { mediaLengthKnown: false, textLengthKnown: false }],
  ['short-lived tokens (tokenTtlSec 60)', { tokenTtlSec: 60 }, PLAIN],
  ['tight QPS limit (qpsLimit 20)', { qpsLimit: 20 }, PLAIN],
];
