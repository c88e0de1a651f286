/**
 * Test helper: runs infra/deploy.sh against a fake `az` (Azure cannot be reached here) that answers from a
 * scenario and records every call, and a fake `npm` (step 1's compiler check has tests of its own). The script
 * itself, bash and node are the real ones.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INFRA_DIR } from './infra-copy';

export interface AzScenario {
  subscriptionId: string;
  groupExists: boolean;
  groupLocation: string;
  /** What `az keyvault list-deleted --resource-type vault -o json` prints. */
  deletedVaults: unknown[];
}

const FAKE_AZ = `#!/usr/bin/env bash
echo "az $*" >>"$FAKE_DIR/calls.log"
case "$*" in
  "account show --query id -o tsv") echo "$FAKE_SUBSCRIPTION" ;;
  "account show "*) echo "subscription  $FAKE_SUBSCRIPTION" ;;
  "group exists "*) echo "$FAKE_GROUP_EXISTS" ;;
  "group create "*) ;;
  "group show "*"--query location -o tsv") echo "$FAKE_GROUP_LOCATION" ;;
  "keyvault list-deleted --resource-type vault -o json") cat "$FAKE_DIR/deleted.json" ;;
  "keyvault recover "*) ;;
  "deployment group show "*) echo "ERROR: (DeploymentNotFound)" >&2; exit 3 ;;
  "deployment group what-if "*) echo "what-if: no change" ;;
  *) echo "fake az: unexpected call: az $*" >&2; exit 99 ;;
esac
`;

export function runDeployWhatIf(
  scenario: AzScenario,
  environment = 'dev',
  group = 'rg-sync-dev',
): { status: number | null; stdout: string; stderr: string; calls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'fake-az-'));
  try {
    writeFileSync(join(dir, 'az'), FAKE_AZ);
    writeFileSync(join(dir, 'npm'), '#!/usr/bin/env bash\necho "npm $*" >>"$FAKE_DIR/calls.log"\n');
    chmodSync(join(dir, 'az'), 0o755);
    chmodSync(join(dir, 'npm'), 0o755);
    writeFileSync(join(dir, 'deleted.json'), JSON.stringify(scenario.deletedVaults));
    writeFileSync(join(dir, 'calls.log'), '');
    const result = spawnSync(
      'bash',
      [
        join(INFRA_DIR, 'deploy.sh'),
        environment,
        group,
        '--what-if-only',
        '--infra-only',
        '--location',
        scenario.groupLocation,
      ],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          PATH: `${dir}:${process.env.PATH}`,
          FAKE_DIR: dir,
          FAKE_SUBSCRIPTION: scenario.subscriptionId,
          FAKE_GROUP_EXISTS: String(scenario.groupExists),
          FAKE_GROUP_LOCATION: scenario.groupLocation,
          ADMIN_API_KEY: '',
        },
        timeout: 60_000,
      },
    );
    const calls = readFileSync(join(dir, 'calls.log'), 'utf8').split('\n').filter(Boolean);
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A soft-deleted vault as `az keyvault list-deleted` shows it. */
export function deletedVault(
  name: string,
  options: { subscriptionId: string; group: string; location: string; tags: Record<string, string> },
) {
  return {
    id: `/subscriptions/${options.subscriptionId}/providers/Microsoft.KeyVault/locations/${options.location}/deletedVaults/${name}`,
    name,
    type: 'Microsoft.KeyVault/deletedVaults',
    properties: {
      vaultId: `/subscriptions/${options.subscriptionId}/resourceGroups/${options.group}/providers/Microsoft.KeyVault/vaults/${name}`,
      location: options.location,
      deletionDate: '2026-12-01T10:00:00+00:00',
      scheduledPurgeDate: '2027-03-01T10:00:00+00:00',
      purgeProtectionEnabled: true,
      tags: options.tags,
    },
  };
}
