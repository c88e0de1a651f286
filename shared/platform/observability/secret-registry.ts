/**
 * Known secret values, held in memory only, so the logger can scrub them from any string it writes: a token
 * echoed in a provider's error body ends up in an error message, far from any field named `token`, and only
 * its value can recognise it there. Credential loading, refreshing and token grants add to the registry
 * (credentials/credential-service.ts, credentials/oauth/token-client.ts).
 *
 * Scanning is one pass over the string: the registry indexes secrets by their first MIN_SECRET_LENGTH
 * characters, so a string of n characters costs n lookups however many secrets are known, and nothing when
 * none are. Shorter values are not registered: they would match ordinary words and scrub them.
 */
export const MIN_SECRET_LENGTH = 8;
/** Oldest values are forgotten first: tokens are replaced on every refresh, and memory must stay bounded. */
export const MAX_KNOWN_SECRETS = 20_000;
export const SCRUBBED = '[redacted]';

export class SecretRegistry {
  /** Insertion order is age: the first key is the oldest value. */
  private readonly values = new Map<string, true>();
  /** First MIN_SECRET_LENGTH characters → the registered values that start with them. */
  private readonly byPrefix = new Map<string, string[]>();

  constructor(private readonly maxValues = MAX_KNOWN_SECRETS) {}

  get size(): number {
    return this.values.size;
  }

  /** Registers a value (ignored when shorter than MIN_SECRET_LENGTH); registering it again makes it young. */
  add(value: string | undefined): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    if (this.values.delete(value)) {
      this.values.set(value, true);
      return;
    }
    this.values.set(value, true);
    const prefix = value.slice(0, MIN_SECRET_LENGTH);
    const list = this.byPrefix.get(prefix);
    if (list) {
      list.push(value);
      // Longest first, so a value that extends another is scrubbed whole.
      list.sort((a, b) => b.length - a.length);
    } else this.byPrefix.set(prefix, [value]);
    if (this.values.size > this.maxValues) this.forget(this.values.keys().next().value!);
  }

  /** For tests and shutdown. */
  clear(): void {
    this.values.clear();
    this.byPrefix.clear();
  }

  /** True when `text` contains a registered value. */
  contains(text: string): boolean {
    return this.scrub(text) !== text;
  }

  /** `text` with every registered value in it replaced by SCRUBBED. */
  scrub(text: string): string {
    if (this.values.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    let out: string | undefined;
    let copiedUpTo = 0;
    for (let at = 0; at <= text.length - MIN_SECRET_LENGTH;) {
      const candidates = this.byPrefix.get(text.slice(at, at + MIN_SECRET_LENGTH));
      const found = candidates?.find((value) => text.startsWith(value, at));
      if (found === undefined) {
        at++;
        continue;
      }
      out = (out ?? '') + text.slice(copiedUpTo, at) + SCRUBBED;
      at += found.length;
      copiedUpTo = at;
    }
    return out === undefined ? text : out + text.slice(copiedUpTo);
  }

  private forget(value: string): void {
    this.values.delete(value);
    const prefix = value.slice(0, MIN_SECRET_LENGTH);
    const list = this.byPrefix.get(prefix)?.filter((candidate) => candidate !== value);
    if (list && list.length > 0) this.byPrefix.set(prefix, list);
    else this.byPrefix.delete(prefix);
  }
}

/** The process's registry: what the logger scrubs. */
export const knownSecrets = new SecretRegistry();

/** Adds secret values the process holds (undefined and short values are skipped). */
export function registerSecrets(...values: Array<string | undefined>): void {
  for (const value of values) knownSecrets.add(value);
}
