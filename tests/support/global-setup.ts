/**
 * Starts the real local services once for the whole test run: cosmosdb-server (in this process), Azurite and a
 * private redis-server (child processes). Their settings go into process.env, which the test workers inherit.
 * REDIS_URL, if already set, is used instead of a private server.
 */
import { startEmbeddedAzurite, startEmbeddedCosmos, type RunningService } from '../../hosts/local/embedded-services';
import { startRedisServer } from './redis-server';

declare global {
  var __testServices: RunningService[] | undefined;
}

export default async function globalSetup(): Promise<void> {
  const services: RunningService[] = [];
  globalThis.__testServices = services;
  const starts: Promise<RunningService>[] = [startEmbeddedCosmos(), startEmbeddedAzurite()];
  if (!process.env.REDIS_URL) starts.push(startRedisServer());
  for (const service of await Promise.all(starts)) {
    services.push(service);
    Object.assign(process.env, service.settings);
  }
  process.env.TEST_SERVICES_STARTED = '1';
}
