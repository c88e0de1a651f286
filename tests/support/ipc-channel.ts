/**
 * Two ends of a pipe between processes, in one process: what one end sends, the other receives later (as a pipe
 * delivers) as a structured clone (as the cluster's IPC with advanced serialisation does), so a test of the
 * local host's worker calls sees what crosses a real process boundary and nothing more.
 */
import { EventEmitter } from 'node:events';
import { deserialize, serialize } from 'node:v8';
import type { MessageChannel } from '../../hosts/local/workers/rpc';

export function channelPair(): [MessageChannel, MessageChannel] {
  const sides = [new EventEmitter(), new EventEmitter()];
  const end = (own: EventEmitter, other: EventEmitter): MessageChannel => ({
    send: (message) => {
      const bytes = serialize(message);
      setImmediate(() => other.emit('message', deserialize(bytes)));
    },
    on: (event, listener) => own.on(event, listener),
    off: (event, listener) => own.off(event, listener),
  });
  return [end(sides[0]!, sides[1]!), end(sides[1]!, sides[0]!)];
}
