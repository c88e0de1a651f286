/**
 * A fix for the local Cosmos stand-in, applied in the process that runs cosmosdb-server, before it is loaded:
 * batch and bulk calls sent with `Prefer: return=minimal` (the SDK's contentResponseOnWriteEnabled: false,
 * which shared/stores/documents/bulk.ts sets for writes) are answered without the written documents, as Azure Cosmos
 * does. cosmosdb-server ignores the header and echoes every written document back, which the instance then
 * parses: about as much work again as sending them. Read operations keep their documents.
 */
import { dirname, join } from 'node:path';

type Headers = Record<string, string | string[] | undefined>;
type Request = { headers: Headers; parsedBatch?: unknown };
type Handler = ((account: unknown, req: Request, res: unknown, params: unknown) => Promise<unknown>) & {
  minimal?: boolean;
};

function wantsMinimal(headers: Headers): boolean {
  const prefer = headers.prefer;
  return (Array.isArray(prefer) ? prefer : [prefer ?? '']).some((value) =>
    value.toLowerCase().includes('return=minimal'),
  );
}

/** Wraps the batch handler; must run before @vercel/cosmosdb-server builds its route table. False if not found. */
export function answerMinimalWrites(): boolean {
  const serverDir = dirname(require.resolve('@vercel/cosmosdb-server'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the server's own module instances, found from its folder at run time
  const batch = require(join(serverDir, 'handler', 'batch-documents')) as { default: Handler };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the server's own module instances, found from its folder at run time
  const json = require(join(serverDir, 'json')) as { default: (req: Request) => Promise<unknown> };
  const original = batch.default;
  const readJson = json.default;
  if (typeof original !== 'function' || typeof readJson !== 'function') return false;
  if (original.minimal) return true;
  // The handler reads the request body itself (looked up at call time): keep it, to tell reads from writes.
  json.default = async (req) => {
    const body = await readJson(req);
    req.parsedBatch = body;
    return body;
  };
  const minimal: Handler = async (account, req, res, params) => {
    const answer = await original(account, req, res, params);
    const operations = req.parsedBatch;
    if (!Array.isArray(answer) || !Array.isArray(operations) || !wantsMinimal(req.headers)) return answer;
    return answer.map((result: Record<string, unknown>, i: number) => {
      if (
        (operations[i] as { operationType?: string } | undefined)?.operationType === 'Read' ||
        !('resourceBody' in result)
      )
        return result;
      const { resourceBody, ...rest } = result;
      void resourceBody;
      return rest;
    });
  };
  minimal.minimal = true;
  batch.default = minimal;
  return true;
}
