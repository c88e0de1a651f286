/**
 * A per-integration conflict policy through the real pipeline (local host, demo mode, GitHub sandbox): a
 * default strategy with per-field overrides and a custom rule, set through the admin API, decides a record
 * edited on both sides field by field; a bad policy is refused with a 400 naming the field.
 */
import { startLocalHost, type LocalHost } from '../../hosts/local/local-host';
import { testEnv, TEST_ADMIN_KEY } from '../support/test-services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';
import { isPullRequestIndex } from '../../dev/sandboxes/github/data';
import { issueId } from '../../shared/adapters/github/ids';

jest.setTimeout(120_000);

const ISSUES = 12;
let host: LocalHost;
beforeAll(async () => {
  host = await startLocalHost({
    env: testEnv({ DEMO_MODE: 'true', DEMO_RECORDS: String(ISSUES) }),
    useProcessEnv: false,
    timers: false,
    overrides: { logger: createMemoryLogger('warn').logger },
  });
});
afterAll(async () => host?.stop());

type JsonResponse = Omit<Response, 'json'> & { json(): Promise<any> };
const admin = (path: string, init: RequestInit = {}): Promise<JsonResponse> =>
  fetch(`${host.url}/api/admin/tenants/demo/integrations/demo-github${path}`, {
    ...init,
    headers: { 'x-api-key': TEST_ADMIN_KEY, 'content-type': 'application/json' },
  });
const patch = (body: unknown) => admin('', { method: 'PATCH', body: JSON.stringify(body) });

async function sync(): Promise<any> {
  const { runId } = await (
    await admin('/sync', { method: 'POST', body: JSON.stringify({ mode: 'incremental' }) })
  ).json();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = await (await admin(`/runs/${runId}`)).json();
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`run still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const github = () => host.demo!.sandboxes.find((sandbox) => sandbox.provider === 'github')!;
const number =
  Array.from({ length: ISSUES }, (_, index) => index)
    .filter((index) => !isPullRequestIndex(index))
    .at(-1)! + 1;
const recordId = issueId('acme/widgets', number);
async function shard() {
  const state = [...(await host.services.syncState.records('demo-github', 'issues', [recordId])).values()][0]!;
  return (await host.services.shards.get('demo', state.shardId))!;
}

/** Edits state, title and body on both sides, differently, then syncs: a three-field, two-sided conflict. */
async function editBothSides(local: Record<string, unknown>, remote: Record<string, unknown>) {
  const current = await shard();
  await host.services.shards.upsertMany([
    { ...current, data: { ...current.data, ...local }, lastWrittenBy: 'local', updatedAt: new Date().toISOString() },
  ]);
  github().control.records.update('issues', recordId, remote);
  const run = await sync();
  expect(run.status).toBe('succeeded');
  return (await shard()).data;
}

const POLICY = {
  default: { kind: 'source_wins' },
  // The sandbox lets a test edit only text fields remotely: the custom rule keeps the longer title.
  fields: {
    body: { kind: 'target_wins' },
    title: { kind: 'custom', rule: '$length(local) >= $length(remote) ? local : remote' },
  },
};

describe('per-integration conflict policy', () => {
  it('is stored with the integration, and conflictStrategy follows its default', async () => {
    await sync();
    const changed = await patch({ conflictPolicy: POLICY });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ conflictStrategy: 'source_wins', conflictPolicy: POLICY });
    expect(await (await admin('')).json()).toMatchObject({ conflictPolicy: POLICY });
  });

  it('takes the remote value by default, keeps the local value of the overridden field, and applies the custom rule', async () => {
    const pick = (data: Record<string, unknown>) => ({ state: data.state, title: data.title, body: data.body });
    const first = await editBothSides(
      { state: 'local state 1', title: 'a much longer local title', body: 'local body 1' },
      { state: 'closed', title: 'remote title', body: 'remote body 1' },
    );
    expect(pick(first)).toEqual({ state: 'closed', title: 'a much longer local title', body: 'local body 1' });
    // The rule keeps the longer title whichever side has it.
    const second = await editBothSides(
      { state: 'local state 2', title: 'local title', body: 'local body 2' },
      { state: 'open', title: 'a much longer remote title', body: 'remote body 2' },
    );
    expect(pick(second)).toEqual({ state: 'open', title: 'a much longer remote title', body: 'local body 2' });
  });

  it('moves the default when only conflictStrategy changes, keeping the overrides', async () => {
    const changed = await (await patch({ conflictStrategy: 'target_wins' })).json();
    expect(changed.conflictPolicy).toEqual({ ...POLICY, default: { kind: 'target_wins' } });
    const data = await editBothSides(
      { state: 'local state 3', title: 'short', body: 'local body 3' },
      { state: 'closed', title: 'the longer remote one', body: 'remote body 3' },
    );
    expect({ state: data.state, title: data.title, body: data.body }).toEqual({
      state: 'local state 3',
      title: 'the longer remote one',
      body: 'local body 3',
    });
  });

  it.each([
    [
      'an unknown strategy',
      { conflictPolicy: { default: { kind: 'source_wins' }, fields: { body: { kind: 'loudest_wins' } } } },
      'conflictPolicy.fields.body.kind',
    ],
    [
      'a custom rule that does not compile',
      {
        conflictPolicy: {
          default: { kind: 'source_wins' },
          fields: { title: { kind: 'custom', rule: '$length(local' } },
        },
      },
      'conflictPolicy.fields.title.rule',
    ],
    [
      'a custom rule reading the clock',
      { conflictPolicy: { default: { kind: 'source_wins' }, fields: { title: { kind: 'custom', rule: '$now()' } } } },
      'conflictPolicy.fields.title.rule',
    ],
    [
      'a default that contradicts conflictStrategy',
      { conflictStrategy: 'manual', conflictPolicy: { default: { kind: 'source_wins' } } },
      'conflictStrategy',
    ],
    ['"custom" without a rule', { conflictStrategy: 'custom' }, 'conflictStrategy'],
  ])('refuses %s with a 400 naming the field, and keeps the stored policy', async (_case, body, target) => {
    const refused = await patch(body);
    expect(refused.status).toBe(400);
    const { error } = await refused.json();
    expect({ target: error.target, named: error.message.includes(target) }).toEqual({ target, named: true });
    expect((await (await admin('')).json()).conflictPolicy).toEqual({ ...POLICY, default: { kind: 'target_wins' } });
  });
});
