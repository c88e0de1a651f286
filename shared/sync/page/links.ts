/**
 * Relationships in the page writer: a mapped record's references (Contact.AccountId → the Account) become
 * links on its shard, resolved through the external-id map (the integration's record states, plus the
 * records of the page itself). A target not synced yet leaves a pending link on the shard and a pending-link
 * document in the tenant's partition of sync-state; when the target arrives, the page that writes it resolves
 * every link waiting for it. All of it is idempotent: the same page twice gives the same links.
 *
 * A reference to another provider's record is looked up in the record states of the tenant's integrations of
 * that provider (when the caller says which they are); found in exactly one, it resolves at once, else it stays
 * pending until the target arrives. Two integrations of that provider holding the same id is ambiguous (two
 * Slack workspaces with the same user id): the link stays pending rather than point at a guess.
 */
import type { ProviderId } from '../../core/providers';
import { referenceKey, resolveLinks, type UnresolvedReference } from '../../mapping';
import type { Shard, ShardLink } from '../../core/shard';
import {
  pendingLinkId,
  pendingLinkPartition,
  type PendingLinkDoc,
  type SyncStateRepository,
} from '../../stores/documents/sync-state-repository';

export interface LinkContext {
  tenantId: string;
  integrationId: string;
  provider: ProviderId;
  now: string;
  /** Ids of the tenant's integrations of a provider, where references to that provider's records are looked up. */
  integrationsOf?(tenantId: string, provider: ProviderId): Promise<string[]>;
}

/**
 * Shard ids of the page's references: first the page's own records (`pageShards`, keyed by referenceKey),
 * then the record states of this integration (same provider) or of the tenant's integrations of the referenced
 * provider, one batched read per integration and referenced entity.
 */
export async function lookUpTargets(
  syncState: Pick<SyncStateRepository, 'records'>,
  ctx: LinkContext,
  references: readonly UnresolvedReference[],
  pageShards: ReadonlyMap<string, string>,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  /** provider → entity → external ids still to look up. */
  const wanted = new Map<ProviderId, Map<string, Set<string>>>();
  for (const reference of references) {
    const key = referenceKey(reference);
    const inPage = pageShards.get(key);
    if (inPage) {
      found.set(key, inPage);
      continue;
    }
    const { provider } = reference;
    if (provider !== ctx.provider && !ctx.integrationsOf) continue;
    const byEntity = wanted.get(provider) ?? new Map<string, Set<string>>();
    wanted.set(provider, byEntity);
    byEntity.set(reference.entity, (byEntity.get(reference.entity) ?? new Set<string>()).add(reference.externalId));
  }
  await Promise.all(
    [...wanted].map(async ([provider, byEntity]) => {
      const integrationIds =
        provider === ctx.provider ? [ctx.integrationId] : await ctx.integrationsOf!(ctx.tenantId, provider);
      /** referenceKey → the shard ids it was found at, over the provider's integrations. */
      const hits = new Map<string, Set<string>>();
      await Promise.all(
        integrationIds.flatMap((integrationId) =>
          [...byEntity].map(async ([entity, ids]) => {
            const states = await syncState.records(integrationId, entity, [...ids]);
            for (const state of states.values()) {
              if (state.deleted) continue;
              const key = referenceKey({ provider, entity, externalId: state.externalId });
              hits.set(key, (hits.get(key) ?? new Set<string>()).add(state.shardId));
            }
          }),
        ),
      );
      for (const [key, shardIds] of hits) if (shardIds.size === 1) found.set(key, [...shardIds][0]!);
    }),
  );
  return found;
}

/** The shard with this integration's links replaced by the record's current ones (other sources' links stay). */
export function withLinks(
  shard: Shard,
  ctx: LinkContext,
  references: readonly UnresolvedReference[],
  targets: ReadonlyMap<string, string>,
): Shard {
  const { resolved, pending } = resolveLinks(references, targets);
  const ours: ShardLink[] = [
    ...resolved.map((link) => ({
      name: link.name,
      targetShardId: link.targetShardId,
      integrationId: ctx.integrationId,
    })),
    ...pending.map((link) => ({
      name: link.name,
      integrationId: ctx.integrationId,
      pending: { provider: link.provider, entity: link.entity, externalId: link.externalId },
    })),
  ];
  const links = [...(shard.links ?? []).filter((link) => link.integrationId !== ctx.integrationId), ...ours];
  return { ...shard, links };
}

/**
 * Pending-link documents after this page: the waiting entries of the page's pending links added to what each
 * target's document already holds (read first, so links other pages left are kept).
 */
export async function pendingLinkDocs(
  syncState: Pick<SyncStateRepository, 'pendingLinksTo'>,
  shards: readonly Shard[],
  ctx: LinkContext,
): Promise<PendingLinkDoc[]> {
  const waiting = new Map<string, Array<{ shardId: string; name: string }>>();
  for (const shard of shards) {
    for (const link of shard.links ?? []) {
      if (!link.pending || link.integrationId !== ctx.integrationId) continue;
      const targetKey = referenceKey(link.pending as UnresolvedReference);
      waiting.set(targetKey, [...(waiting.get(targetKey) ?? []), { shardId: shard.id, name: link.name }]);
    }
  }
  if (waiting.size === 0) return [];
  const existing = new Map(
    (await syncState.pendingLinksTo(ctx.tenantId, [...waiting.keys()])).map((doc) => [doc.targetKey, doc]),
  );
  const doc = (targetKey: string, entries: PendingLinkDoc['waiting']): PendingLinkDoc => ({
    id: pendingLinkId(targetKey),
    kind: 'pending-link',
    integrationId: pendingLinkPartition(ctx.tenantId),
    tenantId: ctx.tenantId,
    targetKey,
    waiting: entries,
    updatedAt: ctx.now,
  });
  const docs = [...waiting].map(([targetKey, entries]) =>
    doc(targetKey, [
      ...new Map(
        [...(existing.get(targetKey)?.waiting ?? []), ...entries].map((entry) => [
          `${entry.shardId}|${entry.name}`,
          entry,
        ]),
      ).values(),
    ]),
  );
  const markers = new Set([...waiting.keys()].map((targetKey) => entityMarkerKey(targetKey)));
  return [...docs, ...[...markers].map((marker) => doc(marker, []))];
}

/**
 * `provider/entity/*`: a marker saying links to this entity may be waiting. A page of the entity reads only the
 * marker unless it exists, so entities nobody links to (most of them) pay one point read per page, not one per
 * record. Markers stay (a stale one costs only the per-record reads it gates).
 */
function entityMarkerKey(targetKey: string): string {
  return `${targetKey.slice(0, targetKey.lastIndexOf('/'))}/*`;
}

/**
 * Resolves links waiting for records of this page. `arrived` maps the referenceKey of each record new to the
 * page's integration to its shard; `current` gives the latest copy of shards (the page's own write, else the
 * store's). Returns the shards to write and the pending-link documents to delete once they are written.
 */
export async function resolveArrivals(
  syncState: Pick<SyncStateRepository, 'pendingLinksTo'>,
  tenantId: string,
  arrived: ReadonlyMap<string, string>,
  current: (shardIds: string[]) => Promise<Map<string, Shard>>,
): Promise<{ shards: Shard[]; settled: string[] }> {
  if (arrived.size === 0) return { shards: [], settled: [] };
  const markers = [...new Set([...arrived.keys()].map(entityMarkerKey))];
  if ((await syncState.pendingLinksTo(tenantId, markers)).length === 0) return { shards: [], settled: [] };
  const docs = await syncState.pendingLinksTo(tenantId, [...arrived.keys()]);
  if (docs.length === 0) return { shards: [], settled: [] };
  const sources = await current([...new Set(docs.flatMap((doc) => doc.waiting.map((entry) => entry.shardId)))]);
  const changed = new Map<string, Shard>();
  for (const doc of docs) {
    const targetShardId = arrived.get(doc.targetKey);
    if (!targetShardId) continue;
    for (const entry of doc.waiting) {
      const shard = changed.get(entry.shardId) ?? sources.get(entry.shardId);
      if (!shard) continue;
      let touched = false;
      const links = shard.links.map((link) => {
        // A link the source no longer makes (its record changed since) is simply not found: nothing to do.
        if (
          !link.pending ||
          link.name !== entry.name ||
          referenceKey(link.pending as UnresolvedReference) !== doc.targetKey
        )
          return link;
        touched = true;
        const { pending, ...rest } = link;
        void pending;
        return { ...rest, targetShardId };
      });
      if (touched) changed.set(shard.id, { ...shard, links });
    }
  }
  return { shards: [...changed.values()], settled: docs.map((doc) => doc.id) };
}
