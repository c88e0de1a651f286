/**
 * A lean HttpRequest for the local host's busiest route (webhook receipt). The @azure/functions HttpRequest
 * wraps a WHATWG Request: building it and reading its body through a web stream cost ~120 µs per request,
 * more than verifying and committing a webhook. This one holds the bytes the host already read and answers
 * the members handlers use (method, url, headers, query, params, arrayBuffer, text, json) directly; the rare
 * ones (body stream, formData, blob, user, clone) are served by a full HttpRequest built on first use, so a
 * handler sees the same interface as in Azure and runs unchanged.
 */
import { HttpRequest, type HttpRequestInit, type HttpRequestParams, type HttpRequestUser } from '@azure/functions';

/** Functions whose requests are converted this way; every other route gets the full HttpRequest. */
export const LEAN_REQUEST_FUNCTIONS: ReadonlySet<string> = new Set(['WebhookReceiver']);

/** Headers over a map of lower-case names, as node's parser delivers them; iteration is sorted like WHATWG Headers. */
export class LeanHeaders implements Headers {
  private readonly map = new Map<string, string>();
  /** The sorted entries, kept until a header changes (handlers iterate them once or twice per request). */
  private sorted: Array<[string, string]> | undefined;

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
    for (const [key, value] of this.sortedEntries()) callback.call(thisArg, value, key, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [key, value] of this.sortedEntries()) yield [key, value];
  }

  private sortedEntries(): Array<[string, string]> {
    this.sorted ??= [...this.map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
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
  readonly arrayBuffer = async (): Promise<ArrayBuffer> => {
    const bytes = this.consume();
    if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes.buffer as ArrayBuffer;
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  };

  readonly text = async (): Promise<string> => this.consume().toString('utf8');

  readonly json = async (): Promise<unknown> => JSON.parse(this.consume().toString('utf8'));

  readonly blob = async (): Promise<Blob> => new Blob([this.consume()]);

  readonly formData = async (): Promise<FormData> => this.fullRequest().formData();

  readonly clone = (): HttpRequest =>
    new LeanHttpRequest({ ...this.init, ...(this.bytes ? { body: { bytes: Buffer.from(this.bytes) } } : {}) });

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
