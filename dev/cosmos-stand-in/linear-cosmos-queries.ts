/**
 * A fix for the local Cosmos stand-in, applied in the process that runs cosmosdb-server. Its query engine
 * (@zeit/cosmosdb-query 0.7.2, the newest) compiles `FROM c` to
 *   $c.reduce(($, c) => typeof c !== "undefined" ? [...$, { c: c }] : $, [])
 * which copies the growing array once per document: every query costs O(N²) in the documents of the whole
 * container, whatever its WHERE clause or partition key (measured here: the delete sweep's query took 0.7 s over
 * 10,000 record states, 33 s over 20,000; at 100,000 it outgrows the client's 60 s timeout by far). Azure
 * Cosmos answers such queries from its index. This rewrites that one expression into a filter and a map with
 * the same result and order, so the stand-in's queries cost O(N) again. Nothing else about the engine changes.
 */
import { dirname } from 'node:path';

/** `FROM <source> [<alias>]`: the reduce over the container's documents, with the source name and the alias. */
const QUADRATIC_FROM =
  /\$c\.reduce\(\(\$, ([A-Za-z_]\w*)\) => typeof \1 !== "undefined" \? \[\.\.\.\$, \{\s*([A-Za-z_]\w*): \1\s*\}\] : \$, \[\]\)/g;

type QueryFactory = (sql: string) => { code: string };

/** Rewrites the compiled form of one query (exported for the test that checks the rewrite keeps results). */
export function linearFrom(code: string): string {
  return code.replace(
    QUADRATIC_FROM,
    (_match, source: string, alias: string) =>
      `$c.filter((${source}) => typeof ${source} !== "undefined").map((${source}) => ({ ${alias}: ${source} }))`,
  );
}

/** The query engine instance cosmosdb-server itself loads. */
function engine(): QueryFactory {
  const serverDir = dirname(require.resolve('@vercel/cosmosdb-server'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the engine instance the server itself loaded, found from its folder at run time
  return (require(require.resolve('@zeit/cosmosdb-query', { paths: [serverDir] })) as { default: QueryFactory })
    .default;
}

/** Patches the engine once per process; false when its compiled output no longer has the quadratic form. */
export function makeCosmosQueriesLinear(): boolean {
  const factory = engine();
  const prototype = Object.getPrototypeOf(factory('SELECT * FROM c')) as object;
  const descriptor = Object.getOwnPropertyDescriptor(prototype, 'code');
  const original = descriptor?.get;
  if (!original) return false;
  if ((original as { linear?: boolean }).linear) return true;
  const rewritten = new WeakMap<object, string>();
  const get = function (this: object): string {
    let code = rewritten.get(this);
    if (code === undefined) {
      code = linearFrom(original.call(this) as string);
      rewritten.set(this, code);
    }
    return code;
  };
  Object.assign(get, { linear: true });
  Object.defineProperty(prototype, 'code', { ...descriptor, get });
  return factory('SELECT * FROM c').code.includes('$c.filter(');
}
