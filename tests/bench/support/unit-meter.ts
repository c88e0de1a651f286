/**
 * Counters for the per-unit figures of the capacity model (tools/capacity/measured.ts), read before and after a
 * stretch of benchmark work: the host process's CPU, what the Cosmos stand-in was asked to do (the services
 * children's tallies), queue messages sent and handled and archive uploads (wrappers on the host's own queue and
 * blob archive, which change nothing they do), redis-server's command statistics, and the sandboxes' calls.
 */
import { connect } from 'node:net';
import type { LocalHost } from '../../../hosts/local/local-host';
import type { UnitCosts } from '../../../tools/capacity/measured';
import { tallySince, type CosmosTally } from './cosmos-tally';
import type { ServicesChild } from './services-child';

export interface MeterReading {
  cpuUs: number;
  cosmos: CosmosTally;
  queue: { sent: number; calls: number; bytes: number; handled: number };
  blob: { uploads: number; bytes: number };
  redis: Record<string, number>;
  providerCalls: number;
}

export interface UnitMeter {
  read(): Promise<MeterReading>;
}

/** `INFO commandstats` over a plain connection (calls per command), so the meter needs no Redis client. */
export function redisCommandStats(redisUrl: string): Promise<Record<string, number>> {
  const { hostname, port } = new URL(redisUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      text += chunk;
      const header = /^\$(\d+)\r\n/.exec(text);
      if (!header || Buffer.byteLength(text) < header[0].length + Number(header[1])) return;
      socket.end();
      const calls: Record<string, number> = {};
      for (const [, command, count] of text.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g))
        if (command !== 'info') calls[command!] = Number(count);
      resolve(calls);
    });
    socket.write('INFO commandstats\r\n');
  });
}

export function startUnitMeter(
  host: Pick<LocalHost, 'services'>,
  sources: { cosmos: ServicesChild; sandboxes: ServicesChild[]; redisUrl?: string },
): UnitMeter {
  const queue = { sent: 0, calls: 0, bytes: 0, handled: 0 };
  const blob = { uploads: 0, bytes: 0 };
  const { services } = host;
  const send = services.queue.send.bind(services.queue);
  services.queue.send = async (name, messages, options) => {
    queue.calls++;
    queue.sent += messages.length;
    for (const message of messages) queue.bytes += Buffer.byteLength(JSON.stringify(message));
    return send(name, messages, options);
  };
  const embedded = services.embeddedQueue;
  if (embedded) {
    const complete = embedded.complete.bind(embedded);
    embedded.complete = (name, lockToken) => {
      complete(name, lockToken);
      queue.handled++;
    };
  }
  const put = services.blob.put.bind(services.blob);
  services.blob.put = async (name, content, contentType, metadata) => {
    blob.uploads++;
    blob.bytes += Buffer.byteLength(content);
    return put(name, content, contentType, metadata);
  };
  return {
    read: async () => {
      const cosmos = await sources.cosmos.tally();
      const calls = await Promise.all(sources.sandboxes.map((child) => child.stats().then((stats) => stats.calls)));
      const redis = sources.redisUrl ? await redisCommandStats(sources.redisUrl) : {};
      const cpu = process.cpuUsage();
      return {
        cpuUs: cpu.user + cpu.system,
        cosmos,
        queue: { ...queue },
        blob: { ...blob },
        redis,
        providerCalls: calls.reduce((sum, n) => sum + n, 0),
      };
    },
  };
}

/** The figures between two readings, per unit of work. */
export function unitCosts(before: MeterReading, after: MeterReading, units: number): UnitCosts {
  const per = (value: number) => value / units;
  const cosmos: UnitCosts['cosmos'] = {};
  let cosmosRequests = 0;
  for (const [container, d] of Object.entries(tallySince(before.cosmos, after.cosmos))) {
    cosmosRequests += d.requests;
    // Sizes and terms are of the documents written (a delete writes none).
    const written = d.writes > 0 && d.writeBytes > 0 ? d.writes : 0;
    cosmos[container] = {
      writes: per(d.writes),
      creates: per(d.creates),
      avgWriteBytes: written ? d.writeBytes / written : 0,
      avgIndexedTerms: written ? d.indexedTerms / written : 0,
      writeRu: per(d.writeRu),
      pointReads: per(d.pointReads),
      readRu: per(d.readRu),
      queries: per(d.queries),
      queryRu: per(d.queryRu),
      ttlCreates: per(d.ttlCreates),
      ttlByteSeconds: per(d.ttlByteSeconds),
    };
  }
  const byCommand: Record<string, number> = {};
  for (const [command, calls] of Object.entries(after.redis)) {
    const delta = calls - (before.redis[command] ?? 0);
    if (delta > 0) byCommand[command] = per(delta);
  }
  const sent = after.queue.sent - before.queue.sent;
  return {
    units,
    hostCpuUs: per(after.cpuUs - before.cpuUs),
    cosmos,
    cosmosRequests: per(cosmosRequests),
    queue: {
      messagesSent: per(sent),
      sendCalls: per(after.queue.calls - before.queue.calls),
      avgMessageBytes: sent > 0 ? (after.queue.bytes - before.queue.bytes) / sent : 0,
      messagesHandled: per(after.queue.handled - before.queue.handled),
    },
    blob: { uploads: per(after.blob.uploads - before.blob.uploads), bytes: per(after.blob.bytes - before.blob.bytes) },
    redis: { commands: Object.values(byCommand).reduce((sum, n) => sum + n, 0), byCommand },
    providerCalls: per(after.providerCalls - before.providerCalls),
  };
}
