/**
 * The conflicts port (documents `conflicts`, partition /tenantId): records whose fields were held for a person
 * to decide (shared/conflicts/conflict-document.ts). Every read is scoped to one tenant. Implementations:
 * cosmos/conflicts-repository.ts, memory/conflicts-repository.ts.
 */
import type { ConflictDocument } from '../../conflicts/conflict-document';
import type { Stored } from '../../core/stored';

export interface ConflictsRepository {
  /** Undefined when absent or another tenant's. */
  get(tenantId: string, conflictId: string): Promise<Stored<ConflictDocument> | undefined>;
  /** The tenant's conflicts in one status (of one integration), newest first, at most `limit` (default 200). */
  list(
    tenantId: string,
    filter: { status: ConflictDocument['status']; integrationId?: string },
    limit?: number,
  ): Promise<Stored<ConflictDocument>[]>;
  /** Replace guarded by the ETag read earlier: a second person resolving it at the same time gets precondition_failed. */
  replace(conflict: Stored<ConflictDocument>): Promise<Stored<ConflictDocument>>;
  /** Writes conflict documents as they are, in bulk: ids derive from the record, so a redelivered page writes the same. */
  saveMany(conflicts: ConflictDocument[]): Promise<void>;
  /** Ids of the tenant's open conflicts. */
  openIds(tenantId: string): Promise<string[]>;
}
