/**
 * The /v2 route table: template (for the call log), rate-limit category,
 * required granular scope(s) (any one suffices), handler.
 */
import { ZOOM_SCOPES as S } from './auth.js';
import { type ApiRequest, type ApiResult, type ZoomContext, ZoomApiError, noRecording } from './context.js';
import * as dir from './routes-directory.js';
import * as rec from './routes-recordings.js';

export type RateCategory = 'Light' | 'Medium' | 'Heavy';

export interface RouteMatch {
  template: string;
  category: RateCategory;
  scopes: string[];
  run(ctx: ZoomContext, req: ApiRequest): ApiResult;
}

/** Default per-second limits (Business/Education plans: https://developers.zoom.us/docs/api/rate-limits/). */
export const CATEGORY_LIMITS: Record<RateCategory, number> = { Light: 80, Medium: 60, Heavy: 40 };

function m(template: string, category: RateCategory, scopes: string[], run: RouteMatch['run']): RouteMatch {
  return { template, category, scopes, run };
}

/** `segs` are the raw path segments after '/v2'. Returns undefined for unknown routes. */
export function matchRoute(method: string, segs: string[]): RouteMatch | undefined {
  const [a, b, c, d, e, f] = segs;
  const n = segs.length;
  const T = '/v2/';
  if (method === 'GET') {
    if (n === 3 && a === 'accounts' && b === 'me' && c === 'recordings')
      return m(`GET ${T}accounts/me/recordings`, 'Medium', [S.listAccountRecordings, S.listAccountRecordingsMaster], (x, r) => rec.listAccountRecordings(x, r));
    if (n === 1 && a === 'users') return m(`GET ${T}users`, 'Medium', [S.listUsers], dir.listUsers);
    if (n === 2 && a === 'users' && b === 'summary') return m(`GET ${T}users/summary`, 'Medium', [S.usersSummary], dir.usersSummary);
    if (n === 2 && a === 'users') return m(`GET ${T}users/{userId}`, 'Light', [S.getUser], (x, r) => dir.getUser(x, r, b));
    if (n === 3 && a === 'users' && c === 'recordings')
      return m(`GET ${T}users/{userId}/recordings`, 'Medium', [S.listUserRecordings], (x, r) => rec.listUserRecordings(x, r, b));
    if (n === 3 && a === 'meetings' && c === 'recordings')
      return m(`GET ${T}meetings/{meetingId}/recordings`, 'Light', [S.listRecordingFiles], (x, r) => rec.getMeetingRecordings(x, r, b));
    if (n === 2 && a === 'meetings') return m(`GET ${T}meetings/{meetingId}`, 'Light', [S.getMeeting], (x, r) => dir.getMeetingDetails(x, r, b, false));
    if (n === 2 && a === 'webinars') return m(`GET ${T}webinars/{webinarId}`, 'Light', [S.getWebinar], (x, r) => dir.getMeetingDetails(x, r, b, true));
    if (n === 3 && a === 'webinars' && c === 'panelists')
      return m(`GET ${T}webinars/{webinarId}/panelists`, 'Medium', [S.listPanelists], (x, r) => dir.listPanelists(x, r, b));
    if (n === 4 && a === 'report' && b === 'meetings' && d === 'participants')
      return m(`GET ${T}report/meetings/{meetingId}/participants`, 'Heavy', [S.reportParticipants], (x, r) => dir.reportParticipants(x, r, c));
    if (n === 4 && a === 'metrics' && b === 'meetings' && d === 'participants')
      return m(`GET ${T}metrics/meetings/{meetingId}/participants`, 'Heavy', [S.metricsMeetingParticipants], (x, r) => dir.metricsParticipants(x, r, c, false));
    if (n === 4 && a === 'metrics' && b === 'webinars' && d === 'participants')
      return m(`GET ${T}metrics/webinars/{webinarId}/participants`, 'Heavy', [S.metricsWebinarParticipants], (x, r) => dir.metricsParticipants(x, r, c, true));
  }
  if (a === 'meetings' && c === 'recordings') {
    if (method === 'DELETE' && n === 3)
      return m(`DELETE ${T}meetings/{meetingId}/recordings`, 'Light', [S.deleteMeetingRecording], (x, r) => rec.deleteMeetingRecordings(x, r, b));
    if (method === 'DELETE' && n === 4)
      return m(`DELETE ${T}meetings/{meetingId}/recordings/{recordingId}`, 'Light', [S.deleteRecordingFile], (x, r) => rec.deleteRecordingFile(x, r, b, d));
    if (method === 'PUT' && n === 4 && d === 'status')
      return m(`PUT ${T}meetings/{meetingId}/recordings/status`, 'Light', [S.recoverMeeting], (x, r) => rec.recoverMeeting(x, r, b));
    if (method === 'PUT' && n === 5 && e === 'status')
      return m(`PUT ${T}meetings/{meetingId}/recordings/{recordingId}/status`, 'Light', [S.recoverFile], (x, r) => rec.recoverFile(x, r, b, d));
  }
  void f;
  // A '/'-UUID sent single-encoded (or raw) splits into extra segments: Zoom answers 3301.
  if (a === 'meetings' && segs.includes('recordings')) {
    return m(`${method} ${T}meetings/{meetingId}/recordings`, 'Light', [S.listRecordingFiles], () => {
      throw noRecording();
    });
  }
  return undefined;
}

export function notFound(): ZoomApiError {
  return new ZoomApiError(404, 404, 'Not Found.');
}
