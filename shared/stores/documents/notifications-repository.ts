/**
 * The notifications port (documents `notifications`, partition /tenantId): channel and rule documents and the
 * delivery record, told apart by `kind` (shared/notifications/types.ts). Every read goes through the tenant, so
 * another tenant's channel id reads as missing; only the digest timer lists across tenants (channels that asked
 * for a digest). Documents come back without store fields. Implementations: cosmos/notifications-repository.ts,
 * memory/notifications-repository.ts.
 */
import type { ChannelDoc, DeliveryDoc, DeliveryStatus, RuleDoc } from '../../notifications/types';

export type NotificationDoc = ChannelDoc | RuleDoc | DeliveryDoc;

export interface NotificationsRepository {
  upsert<T extends NotificationDoc>(doc: T): Promise<T>;
  /** Undefined when absent, another tenant's, or of another kind. */
  get<K extends NotificationDoc['kind']>(
    tenantId: string,
    kind: K,
    id: string,
  ): Promise<Extract<NotificationDoc, { kind: K }> | undefined>;
  /** False when there was no such document of that kind in the tenant. */
  delete(tenantId: string, kind: NotificationDoc['kind'], id: string): Promise<boolean>;
  /** At most 500. */
  listChannels(tenantId: string): Promise<ChannelDoc[]>;
  /** At most 500. */
  listRules(tenantId: string): Promise<RuleDoc[]>;
  /** Newest first, at most `limit` (default 100). */
  listDeliveries(
    tenantId: string,
    filter?: { status?: DeliveryStatus; since?: string; limit?: number },
  ): Promise<DeliveryDoc[]>;
  /** Across tenants: the channels that asked for a digest (the digest timer's work list), at most `limit` (5000). */
  digestChannels(limit?: number): Promise<ChannelDoc[]>;
}
