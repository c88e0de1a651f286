/**
 * A lean HttpRequest for the local host's busiest route (webhook receipt). The @azure/functions HttpRequest
 * wraps a WHATWG Request: building it and reading its body through a web stream cost ~120 µs per request,
 * more than verifying and committing a webhook. This one holds the bytes the host already read and answers
 * the members handlers use (method, url, headers, query, params, arrayBuffer, text, json) directly; the rare
 * ones (body stream, formData, blob, user, clone) are served by a full HttpRequest built on first use, so a
 * handler sees the same interface as in Azure and runs unchanged.
 */
import {
  HttpRequest,
  InvocationContext,
  type EffectiveFunctionOptions,
  type HttpRequestInit,
  type HttpRequestParams,
  type HttpRequestUser,
  type InvocationContextExtraInputs,
  type InvocationContextExtraOutputs,
} from '@azure/functions';

/** Functions whose requests (and invocation contexts) are built this way; every other route gets the full ones. */
export const LEAN_REQUEST_FUNCTIONS: ReadonlySet<string> = new Set(['WebhookReceiver']);

/** Headers over a map of lower-case names, as node's parser delivers them; iteration is sorted like WHATWG Headers. */
export class LeanHeaders implements Headers {
  private readonly map = new Map<string, string>();
  /** The sorted names, kept until a header changes (handlers iterate them once or twice per request). */
  private sorted: string[] | undefined;

  constructor(init: Record<string, string>) {
    for (const name in init) this.map.set(name.toLowerCase(), init[name]!);
  }

  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.map.set(name.toLowerCase(), value);
    this.sorted = undefined;
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const existing = this.map.get(key);
    this.map.set(key, existing === undefined ? value : `${existing}, ${value}`);
    this.sorted = undefined;
  }

  delete(name: string): void {
    this.map.delete(name.toLowerCase());
    this.sorted = undefined;
  }

  getSetCookie(): string[] {
    const cookies = this.map.get('set-cookie');
    return cookies === undefined ? [] : [cookies];
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const name of this.sortedNames()) callback.call(thisArg, this.map.get(name)!, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of this.sortedNames()) yield [name, this.map.get(name)!];
  }

  /** Lower-case names in code-unit order (the default sort), as WHATWG Headers iterates them. */
  private sortedNames(): string[] {
    this.sorted ??= [...this.map.keys()].sort();
    return this.sorted;
  }

  *keys(): IterableIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

export class LeanHttpRequest implements HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Headers;
  readonly params: HttpRequestParams;
  private readonly bytes: Buffer | undefined;
  private used = false;
  private parsedQuery: URLSearchParams | undefined;
  private full: HttpRequest | undefined;

  /** `searchParams`: the query of `init.url` when the caller has parsed it already (the host has). */
  constructor(
    private readonly init: HttpRequestInit & { method: string; url: string; body?: { bytes: Buffer } },
    searchParams?: URLSearchParams,
  ) {
    this.method = init.method;
    this.url = init.url;
    this.headers = new LeanHeaders(init.headers ?? {});
    this.params = init.params ?? {};
    this.bytes = init.body?.bytes;
    this.parsedQuery = searchParams;
  }

  get query(): URLSearchParams {
    this.parsedQuery ??= new URL(this.url).searchParams;
    return this.parsedQuery;
  }

  get user(): HttpRequestUser | null {
    return this.fullRequest().user;
  }

  get body(): ReadableStream | null {
    return this.fullRequest().body;
  }

  get bodyUsed(): boolean {
    return this.used || (this.full?.bodyUsed ?? false);
  }

  /**
   * Bytes that fill their own ArrayBuffer (the host reads bodies into one) are handed over without a copy: the body
   * is read once, and a clone has its own copy. Bytes in a shared pool are copied out, as a Request would.
   */
  // Methods on the prototype, not arrow functions per instance: six closures less per request.
  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.consume();
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return this.consume().toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.consume().toString('utf8'));
  }

  async blob(): Promise<Blob> {
    return new Blob([this.consume()]);
  }

  async formData(): Promise<FormData> {
    return this.fullRequest().formData();
  }

  clone(): HttpRequest {
    return new LeanHttpRequest({ ...this.init, ...(this.bytes ? { body: { bytes: Buffer.from(this.bytes) } } : {}) });
  }

  /** A body is read once, as with a WHATWG Request. */
  private consume(): Buffer {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
    return this.bytes ?? Buffer.alloc(0);
  }

  private fullRequest(): HttpRequest {
    this.full ??= new HttpRequest(this.init);
    return this.full;
  }
}

/**
 * The invocation context of a lean route: the id and name a handler reads, the rest (extra inputs and outputs,
 * logging) from a full InvocationContext built on first use. The full one keeps its private state in WeakMaps,
 * three entries per request that the garbage collector has to trace.
 */
export class LeanInvocationContext implements InvocationContext {
  readonly options: EffectiveFunctionOptions;
  private full: InvocationContext | undefined;

  constructor(
    readonly invocationId: string,
    readonly functionName: string,
  ) {
    this.options = { trigger: { name: 'httpTrigger', type: 'httpTrigger' }, extraInputs: [], extraOutputs: [] };
  }

  get extraInputs(): InvocationContextExtraInputs {
    return this.fullContext().extraInputs;
  }

  get extraOutputs(): InvocationContextExtraOutputs {
    return this.fullContext().extraOutputs;
  }

  log(...args: unknown[]): void {
    this.fullContext().log(...args);
  }

  trace(...args: unknown[]): void {
    this.fullContext().trace(...args);
  }

  debug(...args: unknown[]): void {
    this.fullContext().debug(...args);
  }

  info(...args: unknown[]): void {
    this.fullContext().info(...args);
  }

  warn(...args: unknown[]): void {
    this.fullContext().warn(...args);
  }

  error(...args: unknown[]): void {
    this.fullContext().error(...args);
  }

  private fullContext(): InvocationContext {
    this.full ??= new InvocationContext({
      invocationId: this.invocationId,
      functionName: this.functionName,
      options: this.options,
    });
    return this.full;
  }
}
