import type { ServiceDef } from '../context.js';
import { attachmentAssetService, captionAssetService } from './assets.js';
import { categoryEntryService, categoryService } from './category.js';
import { baseEntryService, flavorAssetService, mediaService } from './media.js';
import { sessionService } from './session.js';
import { uploadTokenService } from './upload-token.js';
import { eSearchService, groupUserService, userService } from './user.js';

/** Services by lower-case name (the dispatcher lower-cases what clients send). */
export const SERVICES: Record<string, ServiceDef> = {
  session: sessionService,
  uploadtoken: uploadTokenService,
  media: mediaService,
  baseentry: baseEntryService,
  flavorasset: flavorAssetService,
  user: userService,
  groupuser: groupUserService,
  elasticsearch_esearch: eSearchService,
  category: categoryService,
  categoryentry: categoryEntryService,
  caption_captionasset: captionAssetService,
  attachment_attachmentasset: attachmentAssetService,
};
