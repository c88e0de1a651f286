/**
 * A private redis-server on a free port for tests and benchmarks, so nothing touches a shared database (the
 * local host's own embedded Redis; a missing binary gives one clear message saying how to install it).
 */
export {
  REDIS_MISSING_MESSAGE,
  redisServerAvailable,
  startEmbeddedRedis as startRedisServer,
} from '../../hosts/local/embedded-redis';
