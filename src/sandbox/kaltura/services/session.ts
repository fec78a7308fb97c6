import { generateKsV2, type KsType } from '../../../kaltura/ks.js';
import { apiError } from '../api-error.js';
import type { ServiceDef } from '../context.js';
import { wire } from '../wire.js';

const DEFAULT_MAX_EXPIRY = 86_400;

export const sessionService: ServiceDef = {
  start: {
    name: 'start',
    noKs: true,
    handler: ({ ctx }, p) => {
      const secret = p.reqStr('secret');
      const partnerId = p.int('partnerId') ?? -1;
      const type = p.int('type') ?? 0;
      const partner = ctx.store.partners.get(partnerId);
      const okSecret = partner && (secret === partner.adminSecret || (type === 0 && secret === partner.userSecret));
      if (!partner || !okSecret) throw apiError('START_SESSION_ERROR', partnerId);
      const cap = ctx.faults.current.maxKsExpirySec ?? DEFAULT_MAX_EXPIRY;
      const requested = p.int('expiry') ?? DEFAULT_MAX_EXPIRY;
      const expirySec = Math.min(requested > 0 ? requested : DEFAULT_MAX_EXPIRY, cap);
      return generateKsV2({
        adminSecret: partner.adminSecret,
        partnerId,
        userId: p.str('userId') ?? '',
        type: (type >= 1 ? 2 : 0) as KsType,
        expirySec,
        privileges: p.str('privileges') ?? '',
        now: ctx.now(),
      });
    },
  },
  startwidgetsession: {
    name: 'startWidgetSession',
    noKs: true,
    handler: ({ ctx }, p) => {
      const widgetId = p.reqStr('widgetId');
      const partnerId = Number(widgetId.replace(/^_/, ''));
      const partner = ctx.store.partners.get(partnerId);
      if (!partner) throw apiError('START_SESSION_ERROR', partnerId);
      const ks = generateKsV2({
        adminSecret: partner.adminSecret,
        partnerId,
        userId: '',
        type: 0,
        expirySec: p.int('expiry') ?? DEFAULT_MAX_EXPIRY,
        privileges: 'view:*,widget:1',
        now: ctx.now(),
      });
      return wire('KalturaStartWidgetSessionResponse', { partnerId, ks, userId: '' });
    },
  },
};
