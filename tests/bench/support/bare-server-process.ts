/**
 * Child-process entry of the webhooks benchmark's ceiling: a bare node:http server that reads the body and
 * answers 202, alone in its process, so its CPU per request is its own (the host's process also holds the
 * host's idle machinery). Forked with the benchmark's own Node flags; talks to the parent over IPC: `ready`
 * with its port, `cpu` with its CPU time so far (µs), and it exits on `stop` or when the parent goes.
 */
import { createServer } from 'node:http';

export type BareServerRequest = { type: 'cpu' } | { type: 'stop' };
export type BareServerResponse = { type: 'ready'; port: number } | { type: 'cpu'; cpuUs: number };

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.statusCode = 202;
    response.end();
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send!({ type: 'ready', port: (server.address() as { port: number }).port } satisfies BareServerResponse);
});

process.on('message', (message: BareServerRequest) => {
  if (message.type === 'stop') {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
  if (message.type === 'cpu') {
    const cpu = process.cpuUsage();
    process.send!({ type: 'cpu', cpuUs: cpu.user + cpu.system } satisfies BareServerResponse);
  }
});
process.on('disconnect', () => process.exit(0));
