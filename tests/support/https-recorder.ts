/**
 * A local HTTPS endpoint that records every request (method, path, headers, raw body) and answers with a fixed
 * status: the stand-in for Azure ingestion endpoints (Event Grid topic, Application Insights) that official SDK
 * clients post to. HTTPS because the SDKs refuse to send a bearer token over plain HTTP. Its self-signed
 * certificate (openssl) is trusted only by the clients a test builds with `caPem`.
 */
import { createServer } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import { makeSelfSignedCert } from '../credentials/support/keyvault-standin';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpsRecorder {
  /** https://127.0.0.1:<port> (no trailing slash). */
  url: string;
  caPem: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

export async function startHttpsRecorder(
  answer: { status: number; body?: unknown } = { status: 200 },
): Promise<HttpsRecorder> {
  const { certPem, keyPem } = makeSelfSignedCert();
  const requests: RecordedRequest[] = [];
  const server = createServer({ cert: certPem, key: keyPem }, async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: certPem,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
