/**
 * A Lua script for a hot path (the rate limiter's decision, one per outbound provider call): each call is one
 * EVALSHA command handed straight to the connection, instead of going through ioredis `defineCommand` and
 * auto-pipelining.
 *
 * Why: at a moderate rate (a few calls per millisecond) auto-pipelining builds a Pipeline object per tiny
 * batch and never has two batches in flight (a call waits for the previous batch's answers before it is even
 * sent), and `defineCommand` adds a closure, a promise and an argument copy per call. At 5,000 decisions/s
 * that cost 30+ ms of GC per second (objects held by queued batches live long enough to be promoted) and a
 * p99 of 10-15 ms; sent directly, GC is about 3 ms/s and p99 about 1 ms (docs/ratelimit.md, Benchmark).
 * Writes are still coalesced: the socket is corked at the first call and uncorked once the event loop has
 * handled the I/O that was ready (setImmediate: after this loop iteration's poll phase), so the calls of every
 * request that arrived together leave in one write, as with pipelining, but no call ever waits for an earlier
 * one's answer. A write is a system call, and on the webhook path (one inbound-limit call per request) one a
 * request cost 8% of the host's CPU; uncorking at the end of each tick (process.nextTick) still sent them one by one.
 */
import { createHash } from 'node:crypto';
import Redis, { Command } from 'ioredis';

type Stream = Redis['stream'];

export class DirectScript {
  readonly sha: string;
  private corked: Stream | undefined;
  private readonly uncork = (): void => {
    const stream = this.corked;
    this.corked = undefined;
    stream?.uncork();
  };

  constructor(private readonly lua: string) {
    this.sha = createHash('sha1').update(lua).digest('hex');
  }

  /**
   * Runs the script with `args` = [numKeys, ...keys, ...argv]; bulk replies come back as strings, as from
   * any ioredis command. A server that does not know the script (first call after a restart or a flush)
   * gets it once with EVAL, which also caches it there.
   */
  async call<T>(redis: Redis, args: (string | number)[]): Promise<T> {
    try {
      return (await this.send(redis, 'evalsha', this.sha, args)) as T;
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return (await this.send(redis, 'eval', this.lua, args)) as T;
    }
  }

  private send(redis: Redis, name: 'evalsha' | 'eval', script: string, args: (string | number)[]): Promise<unknown> {
    this.coalesceWrites(redis);
    return redis.sendCommand(new Command(name, [script, ...args], { replyEncoding: 'utf8' })) as Promise<unknown>;
  }

  /** Holds this tick's writes in the socket buffer and sends them together once the tick's work is done. */
  private coalesceWrites(redis: Redis): void {
    if (this.corked || redis.status !== 'ready' || !redis.stream) return;
    this.corked = redis.stream;
    this.corked.cork();
    setImmediate(this.uncork);
  }
}
