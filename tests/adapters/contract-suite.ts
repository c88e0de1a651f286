/**
 * The adapter contract suite: every provider adapter runs it against its own sandbox over real HTTP.
 * Usage: `runAdapterContract('github', setup)` inside a *.contract.test.ts file. The setup says how to start
 * the sandbox, which adapter options point at it, how to refresh a token, and how to read push results.
 */
import type {
  AdapterContext,
  AdapterFactory,
  AuthProvider,
  ProviderAdapter,
  ProviderRecord,
} from '../../shared/adapters/contract';
import { isAppError, type AppError } from '../../shared/core/app-error';
import type { RateLimitSignal } from '../../shared/ratelimit/signal';
import type { RunningSandbox, SandboxOptions } from '../../dev/sandboxes/common/types';

export interface ContractSetup {
  factory: AdapterFactory;
  start(options: SandboxOptions): Promise<RunningSandbox>;
  /** Adapter options (repositories, data source id, …) that point at the running sandbox. */
  adapterOptions(sandbox: RunningSandbox): Record<string, unknown>;
  /** The entity the suite reads and pushes. */
  entity: string;
  /** Records the adapter should see in a full read of a fresh sandbox (default: the sandbox's count). */
  expectedFullCount?(sandbox: RunningSandbox): number;
  /** The provider's refresh-token exchange (the adapter package's OAuth helper). */
  refresh(
    sandbox: RunningSandbox,
    refreshToken: string,
    signal?: AbortSignal,
  ): Promise<{ accessToken: string; refreshToken?: string }>;
  createData(tag: string): Record<string, unknown>;
  updateData(tag: string): Record<string, unknown>;
  /** Data the provider rejects with a 400-class validation error. */
  invalidCreateData(): Record<string, unknown>;
  /** An id in the adapter's id format that the sandbox does not have. */
  missingId(sandbox: RunningSandbox): string;
  /** The tag written by createData/updateData, read from the sandbox's wire record. */
  tagOf(raw: Record<string, unknown>): string | undefined;
  /** Whether the sandbox record shows the adapter's delete (gone, closed as not planned, in trash …). */
  isDeletedInSandbox(raw: Record<string, unknown> | undefined): boolean;
  /** Whether successful responses carry rate-limit headers the adapter must report. */
  signalsOnSuccess: boolean;
}

export interface ContractEnv {
  sandbox: RunningSandbox;
  adapter: ProviderAdapter;
  signals: RateLimitSignal[];
  operations: string[];
  context: AdapterContext;
}

const RECORDS = 23;
const PAGE_SIZE = 5;

export async function readAll(
  adapter: ProviderAdapter,
  entity: string,
  cursor: string | undefined,
  pageSize = PAGE_SIZE,
  maxPages = 100,
): Promise<{ records: ProviderRecord[]; cursor?: string; pages: number }> {
  const records: ProviderRecord[] = [];
  let pages = 0;
  for (;;) {
    const page = await adapter.fetchChanges({ entity, cursor, pageSize });
    pages += 1;
    records.push(...page.records);
    cursor = page.nextCursor;
    if (page.done) return { records, cursor, pages };
    if (pages >= maxPages) throw new Error('too many pages: pagination does not end');
  }
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (!isAppError(error)) throw new Error(`expected AppError ${code}, got ${String(error)}`);
    expect(error.code).toBe(code);
    return error;
  }
  throw new Error(`expected AppError ${code}, but the call succeeded`);
}

export function runAdapterContract(name: string, setup: ContractSetup): void {
  describe(`${name} adapter contract`, () => {
    let env: ContractEnv;

    async function makeEnv(options: { withRefresh?: boolean; requestTimeoutMs?: number } = {}): Promise<ContractEnv> {
      const sandbox = await setup.start({ records: RECORDS, seed: 7 });
      let tokens: { accessToken: string; refreshToken?: string } = sandbox.control.issueToken();
      const signals: RateLimitSignal[] = [];
      const operations: string[] = [];
      const auth: AuthProvider = {
        headers: async () => ({ authorization: `Bearer ${tokens.accessToken}` }),
        onUnauthorized:
          options.withRefresh === false
            ? undefined
            : async (signal) => {
                if (!tokens.refreshToken) return false;
                tokens = await setup.refresh(sandbox, tokens.refreshToken, signal);
                return true;
              },
      };
      const context: AdapterContext = {
        baseUrl: sandbox.url,
        options: setup.adapterOptions(sandbox),
        auth,
        requestTimeoutMs: options.requestTimeoutMs ?? 5000,
        onRateLimitSignal: (signal) => signals.push(signal),
        beforeRequest: async (operation) => {
          operations.push(operation);
        },
      };
      return { sandbox, adapter: setup.factory.create(context), signals, operations, context };
    }

    beforeEach(async () => {
      env = await makeEnv();
    });
    afterEach(async () => {
      await env.sandbox.stop();
    });

    it('discovers its entities, matching the factory capabilities', async () => {
      const catalog = await env.adapter.discover();
      expect(catalog.provider).toBe(setup.factory.provider);
      const names = catalog.entities.map((entity) => entity.name);
      expect(names).toEqual(expect.arrayContaining(setup.factory.capabilities.entities));
      const entity = catalog.entities.find((candidate) => candidate.name === setup.entity);
      expect(entity?.fields.length).toBeGreaterThan(0);
    });

    it('connects and reports health', async () => {
      const identity = await env.adapter.connect();
      expect(identity.accountId).toBeTruthy();
      const health = await env.adapter.healthCheck();
      expect(health.ok).toBe(true);
      expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    });

    it('reads every record across pages, once each', async () => {
      const { records, pages } = await readAll(env.adapter, setup.entity, undefined);
      const expected = setup.expectedFullCount?.(env.sandbox) ?? env.sandbox.control.records.count(setup.entity);
      const ids = records.map((record) => record.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(expected);
      expect(pages).toBeGreaterThan(1);
      expect(records.every((record) => record.entity === setup.entity && typeof record.modifiedAt === 'string')).toBe(
        true,
      );
      expect(env.operations.length).toBeGreaterThan(1);
    });

    it('reads only what changed since the cursor (plus records on the boundary instant)', async () => {
      const full = await readAll(env.adapter, setup.entity, undefined);
      const boundary = full.records.map((record) => Date.parse(record.modifiedAt!)).reduce((a, b) => Math.max(a, b), 0);
      const [first, second] = [full.records[1]!, full.records[3]!];
      env.sandbox.control.records.update(setup.entity, first.id);
      env.sandbox.control.records.update(setup.entity, second.id);
      const created = await env.adapter.push({
        entity: setup.entity,
        operations: [{ kind: 'create', idempotencyKey: 'c1', data: setup.createData('incremental-new') }],
      });
      expect(created[0]!.ok).toBe(true);
      const delta = await readAll(env.adapter, setup.entity, full.cursor);
      const deltaIds = delta.records.map((record) => record.id);
      const createdId = created[0]!.ok ? created[0]!.id : '';
      expect(deltaIds).toEqual(expect.arrayContaining([first.id, second.id, createdId]));
      const others = delta.records.filter((record) => ![first.id, second.id, createdId].includes(record.id));
      expect(others.every((record) => Date.parse(record.modifiedAt!) >= boundary)).toBe(true);
      expect(delta.records.length).toBeLessThan(full.records.length);
    });

    it('reports deleted records as missing or deleted', async () => {
      const { records } = await readAll(env.adapter, setup.entity, undefined, 50);
      const victim = records[2]!;
      expect(env.sandbox.control.records.remove(setup.entity, victim.id)).toBe(true);
      const result = await env.adapter.fetchByIds({ entity: setup.entity, ids: [victim.id] });
      const reported =
        result.missingIds.includes(victim.id) ||
        result.records.some((record) => record.id === victim.id && record.deleted === true);
      expect(reported).toBe(true);
    });

    it('fetches by ids and names the missing ones', async () => {
      const { records } = await readAll(env.adapter, setup.entity, undefined, 50);
      const wanted = [records[0]!.id, records[4]!.id, records[7]!.id];
      const missing = setup.missingId(env.sandbox);
      const result = await env.adapter.fetchByIds({ entity: setup.entity, ids: [...wanted, missing] });
      expect(result.records.map((record) => record.id).sort()).toEqual([...wanted].sort());
      expect(result.missingIds).toEqual([missing]);
    });

    it('pushes create, update and delete, visible in the sandbox, one outcome per operation', async () => {
      const [created] = await env.adapter.push({
        entity: setup.entity,
        operations: [{ kind: 'create', idempotencyKey: 'k1', data: setup.createData('contract-created') }],
      });
      if (!created?.ok) throw new Error(`create failed: ${JSON.stringify(created)}`);
      expect(setup.tagOf(env.sandbox.control.records.get(setup.entity, created.id)!)).toBe('contract-created');
      const outcomes = await env.adapter.push({
        entity: setup.entity,
        operations: [
          { kind: 'update', idempotencyKey: 'k2', id: created.id, data: setup.updateData('contract-updated') },
          { kind: 'update', idempotencyKey: 'k3', id: setup.missingId(env.sandbox), data: setup.updateData('nobody') },
          { kind: 'create', idempotencyKey: 'k4', data: setup.invalidCreateData() },
        ],
      });
      expect(outcomes.map((outcome) => outcome.idempotencyKey)).toEqual(['k2', 'k3', 'k4']);
      expect(outcomes[0]!.ok).toBe(true);
      expect(setup.tagOf(env.sandbox.control.records.get(setup.entity, created.id)!)).toBe('contract-updated');
      expect(outcomes[1]).toMatchObject({ ok: false, error: { code: 'not_found', retryable: false } });
      expect(outcomes[2]).toMatchObject({ ok: false, error: { code: 'validation', retryable: false } });
      const [deleted] = await env.adapter.push({
        entity: setup.entity,
        operations: [{ kind: 'delete', idempotencyKey: 'k5', id: created.id }],
      });
      expect(deleted!.ok).toBe(true);
      expect(setup.isDeletedInSandbox(env.sandbox.control.records.get(setup.entity, created.id))).toBe(true);
    });

    it('refreshes once after a 401 and carries on', async () => {
      env.sandbox.control.expireAccessTokens();
      const page = await env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE });
      expect(page.records.length).toBeGreaterThan(0);
    });

    it('maps 401 without a possible refresh to auth_expired', async () => {
      await env.sandbox.stop();
      env = await makeEnv({ withRefresh: false });
      env.sandbox.control.expireAccessTokens();
      const error = await expectAppError(
        env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE }),
        'auth_expired',
      );
      expect(error.retryable).toBe(true);
    });

    it('maps a revoked refresh token (invalid_grant or equivalent) to auth_revoked', async () => {
      env.sandbox.control.expireAccessTokens();
      env.sandbox.control.revokeRefreshTokens();
      const error = await expectAppError(
        env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE }),
        'auth_revoked',
      );
      expect(error.retryable).toBe(false);
    });

    it('maps 429 to rate_limited with the provider retry delay, and reports the signal', async () => {
      env.sandbox.control.injectFault({ kind: 'rate_limit', retryAfterSeconds: 7 });
      const error = await expectAppError(
        env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE }),
        'rate_limited',
      );
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(7000);
      expect(
        env.signals.some((signal) => signal.retryAfterMs === 7000 && signal.provider === setup.factory.provider),
      ).toBe(true);
    });

    it('reports rate-limit headers of successful responses when the provider sends them', async () => {
      await env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE });
      if (setup.signalsOnSuccess) {
        expect(
          env.signals.some((signal) => typeof signal.remaining === 'number' && typeof signal.limit === 'number'),
        ).toBe(true);
      } else {
        expect(env.signals).toEqual([]);
      }
    });

    it('maps 5xx, timeouts and truncated bodies to transient', async () => {
      env.sandbox.control.injectFault({ kind: 'server_error', status: 503 });
      expect(
        (await expectAppError(env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE }), 'transient'))
          .retryable,
      ).toBe(true);
      env.sandbox.control.injectFault({ kind: 'truncated' });
      await expectAppError(env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE }), 'transient');
      await env.sandbox.stop();
      env = await makeEnv({ requestTimeoutMs: 300 });
      env.sandbox.control.injectFault({ kind: 'timeout' });
      const started = Date.now();
      await expectAppError(env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE }), 'transient');
      expect(Date.now() - started).toBeLessThan(3000);
    });

    it('waits out a slow answer that stays within the timeout', async () => {
      env.sandbox.control.injectFault({ kind: 'slow', delayMs: 300 });
      const page = await env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE });
      expect(page.records.length).toBeGreaterThan(0);
    });

    it('honours an abort in the middle of a page request', async () => {
      env.sandbox.control.injectFault({ kind: 'slow', delayMs: 4000 });
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 100);
      const error = await expectAppError(
        env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE, signal: controller.signal }),
        'transient',
      );
      expect(error.details?.aborted).toBe(true);
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('asks beforeRequest first and sends nothing when it refuses', async () => {
      env.sandbox.control.resetCalls();
      env.context.beforeRequest = async (operation) => {
        throw Object.assign(new Error(`limited ${operation}`), { name: 'Refused' });
      };
      await expect(env.adapter.fetchChanges({ entity: setup.entity, pageSize: PAGE_SIZE })).rejects.toThrow(/limited/);
      expect(env.sandbox.control.calls().total).toBe(0);
    });
  });
}
