/**
 * AppServices for tests, built by the production factory against the real local services that the jest
 * global set-up started. Each call gets its own Cosmos database, so test files never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSettings, type Settings } from '../../shared/config/settings';
import { createServices, type AppServices, type ServiceOverrides } from '../../shared/app/services';
import { createMemoryLogger } from '../../shared/platform/observability/logger';

export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export function testEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    COSMOS_ENDPOINT: process.env.COSMOS_ENDPOINT,
    COSMOS_KEY: process.env.COSMOS_KEY,
    COSMOS_ALLOW_SELF_SIGNED_LOCAL: 'true',
    COSMOS_DATABASE: `test-${randomBytes(6).toString('hex')}`,
    BLOB_CONNECTION_STRING: process.env.BLOB_CONNECTION_STRING,
    REDIS_URL: process.env.REDIS_URL,
    ADMIN_API_KEY: TEST_ADMIN_KEY,
    LOG_LEVEL: 'debug',
    PORT: '0',
    DEMO_MODE: 'false',
    // Tests of refused credentials run from one address; the sign-in throttle has its own tests with small budgets.
    ADMIN_LOGIN_FAILURES_PER_ADDRESS: '1000',
    // The provider sandboxes and stand-ins listen on 127.0.0.1: the outbound rule's explicit local exception.
    OUTBOUND_ALLOW_LOOPBACK: 'true',
    LOCAL_DATA_DIR: mkdtempSync(join(tmpdir(), 'ise-test-')),
    ...extra,
  };
}

export interface TestServices {
  services: AppServices;
  settings: Settings;
  /** Every log line written, as JSON strings (for assertions and secret scans). */
  logLines: string[];
}

export async function createTestServices(
  extra: Record<string, string | undefined> = {},
  overrides: ServiceOverrides = {},
): Promise<TestServices> {
  const settings = parseSettings(testEnv(extra));
  const { logger, lines } = createMemoryLogger();
  const services = await createServices(settings, { logger, ...overrides });
  return { services, settings, logLines: lines };
}
