/**
 * Admin routes for notifications (under tenants/{tenantId}/notifications):
 *   POST   channels                       {type: slack_webhook|slack_bot|teams_workflow, name, url | token+channel, digest?} → 201
 *   GET    channels, channels/{channelId}  stored config only: URLs and tokens are write-only (credential store)
 *   PUT    channels/{channelId}            replace config and secret
 *   DELETE channels/{channelId}            the channel and its secret
 *   POST   channels/{channelId}/test       send a test message: 200 sent, 502 not delivered (with the reason)
 *   POST   rules, GET rules, GET|PUT|DELETE rules/{ruleId}   routing rules; channel ids must exist in this tenant
 *   GET    deliveries?status=failed|sent|held&limit=n         the delivery record, newest first
 *   POST   deliveries/{deliveryId}/resend  send a failed delivery's message again: 200 sent, 502 not delivered, 409 not failed
 * Another tenant's channel or rule id answers exactly like an unknown one: 404.
 */
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/app-error';
import { tenantIdSchema } from '../../core/integration';
import { json, parseBody } from '../../platform/http/responses';
import { checkChannelUrl } from './outbound-targets';
import type { Params } from '../../platform/http/router';
import { channelSecretRef, storeChannelSecret } from '../../notifications/channel-secrets';
import { testMessage } from '../../notifications/messages';
import {
  channelInputSchema,
  ruleInputSchema,
  type ChannelDoc,
  type ChannelInput,
  type DeliveryStatus,
  type RuleDoc,
  type RuleInput,
} from '../../notifications/types';
import type { AdminContext, AdminRouter } from './context';

const BASE = 'tenants/:tenantId/notifications';
const STATUSES: readonly DeliveryStatus[] = ['sent', 'failed', 'held'];

function tenantOf(params: Params): string {
  const result = tenantIdSchema.safeParse(params.tenantId);
  if (!result.success)
    throw new AppError('bad_request', `tenantId: ${result.error.issues[0]!.message}`, { target: 'tenantId' });
  return result.data;
}

async function loadChannel(ctx: AdminContext, params: Params): Promise<ChannelDoc> {
  const channel = await ctx.services.notifications.service.repository.get(
    tenantOf(params),
    'channel',
    params.channelId ?? '',
  );
  if (!channel) throw new AppError('not_found', 'notification channel not found');
  return channel;
}

async function loadRule(ctx: AdminContext, params: Params): Promise<RuleDoc> {
  const rule = await ctx.services.notifications.service.repository.get(tenantOf(params), 'rule', params.ruleId ?? '');
  if (!rule) throw new AppError('not_found', 'notification rule not found');
  return rule;
}

async function saveChannel(
  ctx: AdminContext,
  tenantId: string,
  id: string,
  input: ChannelInput,
  createdAt?: string,
): Promise<ChannelDoc> {
  // The secret first: a channel document never exists without its secret.
  await storeChannelSecret(ctx.services.credentials.service, tenantId, id, input);
  const now = ctx.services.now().toISOString();
  const doc: ChannelDoc = {
    id,
    tenantId,
    kind: 'channel',
    type: input.type,
    name: input.name,
    slackChannel: input.type === 'slack_bot' ? input.channel : undefined,
    digest: input.digest,
    createdAt: createdAt ?? now,
    updatedAt: now,
  };
  return ctx.services.notifications.service.repository.upsert(doc);
}

/** Every channel a rule names must be one of this tenant's channels; the error names the field. */
async function checkChannels(ctx: AdminContext, tenantId: string, rule: RuleInput): Promise<void> {
  const known = new Set(
    (await ctx.services.notifications.service.repository.listChannels(tenantId)).map((channel) => channel.id),
  );
  const check = (ids: readonly string[], field: string) => {
    ids.forEach((id, i) => {
      if (!known.has(id))
        throw new AppError('bad_request', `${field}.${i}: no such notification channel`, { target: `${field}.${i}` });
    });
  };
  check(rule.channelIds, 'channelIds');
  check(rule.escalation?.channelIds ?? [], 'escalation.channelIds');
}

async function saveRule(
  ctx: AdminContext,
  tenantId: string,
  id: string,
  input: RuleInput,
  createdAt?: string,
): Promise<RuleDoc> {
  await checkChannels(ctx, tenantId, input);
  const now = ctx.services.now().toISOString();
  return ctx.services.notifications.service.repository.upsert<RuleDoc>({
    ...input,
    id,
    tenantId,
    kind: 'rule',
    createdAt: createdAt ?? now,
    updatedAt: now,
  });
}

export function registerNotificationRoutes(router: AdminRouter): void {
  router.add('POST', `${BASE}/channels`, async (ctx, params) => {
    const tenantId = tenantOf(params);
    const input = parseBody(channelInputSchema, await ctx.request.body());
    await checkChannelUrl(input);
    const channel = await saveChannel(ctx, tenantId, `nc-${randomUUID()}`, input);
    ctx.logger.info('notification channel created', {
      tenantId,
      channelId: channel.id,
      channelType: channel.type,
      by: ctx.principal.id,
    });
    return json(201, channel);
  });
  router.add('GET', `${BASE}/channels`, async (ctx, params) =>
    json(200, { items: await ctx.services.notifications.service.repository.listChannels(tenantOf(params)) }),
  );
  router.add('GET', `${BASE}/channels/:channelId`, async (ctx, params) => json(200, await loadChannel(ctx, params)));
  router.add('PUT', `${BASE}/channels/:channelId`, async (ctx, params) => {
    const existing = await loadChannel(ctx, params);
    const input = parseBody(channelInputSchema, await ctx.request.body());
    await checkChannelUrl(input);
    const channel = await saveChannel(ctx, existing.tenantId, existing.id, input, existing.createdAt);
    ctx.logger.info('notification channel replaced', {
      tenantId: channel.tenantId,
      channelId: channel.id,
      channelType: channel.type,
      by: ctx.principal.id,
    });
    return json(200, channel);
  });
  router.add('DELETE', `${BASE}/channels/:channelId`, async (ctx, params) => {
    const channel = await loadChannel(ctx, params);
    await ctx.services.notifications.service.repository.delete(channel.tenantId, 'channel', channel.id);
    await ctx.services.credentials.service.delete(channelSecretRef(channel.tenantId, channel.id));
    ctx.logger.info('notification channel deleted', {
      tenantId: channel.tenantId,
      channelId: channel.id,
      by: ctx.principal.id,
    });
    return { status: 204 };
  });
  router.add('POST', `${BASE}/channels/:channelId/test`, async (ctx, params) => {
    const channel = await loadChannel(ctx, params);
    const outcome = await ctx.services.notifications.service.deliver(
      channel,
      testMessage(channel.name, ctx.services.now()),
      { purpose: 'test' },
    );
    return json(outcome.status === 'sent' ? 200 : 502, {
      deliveryId: outcome.id,
      status: outcome.status,
      attempts: outcome.attempts,
      reason: outcome.reason,
    });
  });

  router.add('POST', `${BASE}/rules`, async (ctx, params) => {
    const tenantId = tenantOf(params);
    const rule = await saveRule(
      ctx,
      tenantId,
      `nr-${randomUUID()}`,
      parseBody(ruleInputSchema, await ctx.request.body()),
    );
    ctx.logger.info('notification rule created', { tenantId, ruleId: rule.id, by: ctx.principal.id });
    return json(201, rule);
  });
  router.add('GET', `${BASE}/rules`, async (ctx, params) =>
    json(200, { items: await ctx.services.notifications.service.repository.listRules(tenantOf(params)) }),
  );
  router.add('GET', `${BASE}/rules/:ruleId`, async (ctx, params) => json(200, await loadRule(ctx, params)));
  router.add('PUT', `${BASE}/rules/:ruleId`, async (ctx, params) => {
    const existing = await loadRule(ctx, params);
    return json(
      200,
      await saveRule(
        ctx,
        existing.tenantId,
        existing.id,
        parseBody(ruleInputSchema, await ctx.request.body()),
        existing.createdAt,
      ),
    );
  });
  router.add('DELETE', `${BASE}/rules/:ruleId`, async (ctx, params) => {
    const rule = await loadRule(ctx, params);
    await ctx.services.notifications.service.repository.delete(rule.tenantId, 'rule', rule.id);
    return { status: 204 };
  });

  router.add('GET', `${BASE}/deliveries`, async (ctx, params) => {
    const status = ctx.request.query.get('status') ?? undefined;
    if (status !== undefined && !STATUSES.includes(status as DeliveryStatus))
      throw new AppError('bad_request', `status: must be one of ${STATUSES.join(', ')}`, { target: 'status' });
    const limit = Math.min(500, Math.max(1, Number(ctx.request.query.get('limit') ?? 100) || 100));
    return json(200, {
      items: await ctx.services.notifications.service.repository.listDeliveries(tenantOf(params), {
        status: status as DeliveryStatus | undefined,
        limit,
      }),
    });
  });
  router.add('POST', `${BASE}/deliveries/:deliveryId/resend`, async (ctx, params) => {
    const { repository } = ctx.services.notifications.service;
    const tenantId = tenantOf(params);
    const failed = await repository.get(tenantId, 'delivery', params.deliveryId ?? '');
    if (!failed) throw new AppError('not_found', 'delivery not found');
    if (failed.status !== 'failed' || failed.resentAs)
      throw new AppError(
        'conflict',
        `delivery is ${failed.resentAs ? 'already resent' : failed.status}; only failed deliveries are resent`,
        { target: 'deliveryId' },
      );
    const channel = await repository.get(tenantId, 'channel', failed.channelId);
    if (!channel) throw new AppError('conflict', "the delivery's channel no longer exists", { target: 'channelId' });
    const outcome = await ctx.services.notifications.service.deliver(channel, failed.message, {
      purpose: failed.purpose,
      ruleId: failed.ruleId,
    });
    await repository.upsert({ ...failed, resentAs: outcome.id });
    ctx.logger.info('notification resent', {
      tenantId,
      deliveryId: failed.id,
      resentAs: outcome.id,
      status: outcome.status,
      by: ctx.principal.id,
    });
    return json(outcome.status === 'sent' ? 200 : 502, {
      deliveryId: outcome.id,
      status: outcome.status,
      attempts: outcome.attempts,
      reason: outcome.reason,
    });
  });
}
