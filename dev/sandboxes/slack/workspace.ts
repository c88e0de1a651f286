/**
 * The Slack sandbox's workspace: channels of messages and a user directory, both seeded lazily. A message's ts is
 * its id and its post time; seeded history ends shortly before the sandbox started, one message every 30 s, so
 * recent history looks like a live channel. Edits and deletions live in a small overlay per channel.
 */
import { intBetween, pick, seededRandom, sentence } from '../common/seeded';

export type SlackMessage = Record<string, unknown> & {
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  edited?: { user: string; ts: string };
};
export type SlackUser = Record<string, unknown> & { id: string; name: string; deleted: boolean; updated: number };
export type WorkspaceChange = {
  channel: string;
  kind: 'posted' | 'changed' | 'deleted';
  message: SlackMessage;
  previous?: SlackMessage;
};

export const TEAM_ID = 'T0SANDBOX';
export const BOT_USER_ID = 'U0SBXBOT1';
const STEP_MICROS = 30_000_000n;

export function channelIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `C0SBX${String(i + 1).padStart(4, '0')}`);
}

export function tsToMicros(ts: string): bigint | undefined {
  const match = /^(\d{1,12})\.(\d{6})$/.exec(ts);
  return match ? BigInt(match[1]!) * 1_000_000n + BigInt(match[2]!) : undefined;
}

export function microsToTs(micros: bigint): string {
  return `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
}

/** One channel's history: seeded messages by index, posts after them, and an overlay of edits and deletions. */
export class ChannelHistory {
  private readonly firstBaseMicros: bigint;
  private readonly changes = new Map<string, SlackMessage | null>();
  private readonly posted: bigint[] = [];
  private deletedBase = 0;
  private lastMicros: bigint;

  constructor(
    readonly id: string,
    readonly baseCount: number,
    anchorMicros: bigint,
    private readonly seed: number,
    private readonly salt: number,
    private readonly userCount: number,
  ) {
    this.firstBaseMicros = anchorMicros - BigInt(Math.max(0, baseCount - 1)) * STEP_MICROS;
    this.lastMicros = anchorMicros;
  }

  private baseMicros(index: number): bigint {
    return this.firstBaseMicros + BigInt(index) * STEP_MICROS;
  }

  private baseIndex(micros: bigint): number | undefined {
    const offset = micros - this.firstBaseMicros;
    if (offset < 0n || offset % STEP_MICROS !== 0n) return undefined;
    const index = Number(offset / STEP_MICROS);
    return index < this.baseCount ? index : undefined;
  }

  private generate(index: number): SlackMessage {
    const random = seededRandom(this.seed, index, this.salt);
    const user = `U${intBetween(random, 0, Math.max(0, this.userCount - 1))
      .toString(36)
      .toUpperCase()
      .padStart(8, '0')}`;
    return {
      type: 'message',
      user,
      text: `${sentence(random, 3, 12)} ${pick(random, ['', ':tada:', ':eyes:'])}`.trim(),
      ts: microsToTs(this.baseMicros(index)),
      team: TEAM_ID,
    };
  }

  get(ts: string): SlackMessage | undefined {
    if (this.changes.has(ts)) return this.changes.get(ts) ?? undefined;
    const micros = tsToMicros(ts);
    const index = micros === undefined ? undefined : this.baseIndex(micros);
    return index === undefined ? undefined : this.generate(index);
  }

  count(): number {
    return (
      this.baseCount - this.deletedBase + this.posted.filter((micros) => this.changes.get(microsToTs(micros))).length
    );
  }

  /** A ts after every message so far (Slack's ts are unique per channel). */
  nextTs(): string {
    const now = BigInt(Date.now()) * 1000n;
    this.lastMicros = now > this.lastMicros ? now : this.lastMicros + 1n;
    return microsToTs(this.lastMicros);
  }

  post(message: SlackMessage): void {
    this.changes.set(message.ts, message);
    this.posted.push(tsToMicros(message.ts)!);
  }

  replace(message: SlackMessage): void {
    this.changes.set(message.ts, message);
  }

  delete(ts: string): boolean {
    if (!this.get(ts)) return false;
    const micros = tsToMicros(ts);
    if (micros !== undefined && this.baseIndex(micros) !== undefined) this.deletedBase += 1;
    this.changes.set(ts, null);
    return true;
  }

  /** Newest first, strictly between the bounds (inclusive when asked), at most `limit` + whether more exist. */
  history(
    bounds: { oldest?: bigint; latest?: bigint; inclusive: boolean },
    limit: number,
  ): { messages: SlackMessage[]; hasMore: boolean } {
    const above = (micros: bigint) =>
      bounds.oldest === undefined || (bounds.inclusive ? micros >= bounds.oldest : micros > bounds.oldest);
    const below = (micros: bigint) =>
      bounds.latest === undefined || (bounds.inclusive ? micros <= bounds.latest : micros < bounds.latest);
    const out: SlackMessage[] = [];
    const take = (micros: bigint): boolean => {
      if (!above(micros)) return false;
      if (!below(micros)) return true;
      const message = this.get(microsToTs(micros));
      if (message) out.push(message);
      return out.length <= limit;
    };
    let going = true;
    for (let k = this.posted.length - 1; k >= 0 && going; k -= 1) going = take(this.posted[k]!);
    if (going && this.baseCount > 0) {
      let index = this.baseCount - 1;
      if (bounds.latest !== undefined && bounds.latest < this.baseMicros(index)) {
        const offset = bounds.latest - this.firstBaseMicros;
        index = offset < 0n ? -1 : Number(offset / STEP_MICROS);
      }
      for (; index >= 0 && going; index -= 1) going = take(this.baseMicros(index));
    }
    return { messages: out.slice(0, limit), hasMore: out.length > limit };
  }
}

export class UserDirectory {
  private readonly changes = new Map<string, SlackUser>();

  constructor(
    readonly count: number,
    private readonly seed: number,
    private readonly anchorSeconds: number,
  ) {}

  idOf(index: number): string {
    return `U${index.toString(36).toUpperCase().padStart(8, '0')}`;
  }

  private indexOf(id: string): number | undefined {
    if (!/^U[0-9A-Z]{8}$/.test(id)) return undefined;
    const index = Number.parseInt(id.slice(1), 36);
    return index < this.count ? index : undefined;
  }

  private generate(index: number): SlackUser {
    const random = seededRandom(this.seed, index, 97);
    const name = `${pick(random, ['ada', 'grace', 'alan', 'edsger', 'barbara', 'ken', 'linus'])}.${index}`;
    return {
      id: this.idOf(index),
      team_id: TEAM_ID,
      name,
      deleted: false,
      real_name: name.replace('.', ' '),
      is_bot: false,
      profile: { display_name: name, email: `${name}@example.com`, title: sentence(random, 1, 3) },
      updated: this.anchorSeconds - (this.count - index) * 60,
    };
  }

  get(id: string): SlackUser | undefined {
    const changed = this.changes.get(id);
    if (changed) return changed;
    const index = this.indexOf(id);
    return index === undefined ? undefined : this.generate(index);
  }

  put(user: SlackUser): void {
    this.changes.set(user.id, { ...user, updated: Math.floor(Date.now() / 1000) });
  }

  /** Users in id order after `afterId`, at most `limit`. */
  page(afterId: string | undefined, limit: number): { members: SlackUser[]; nextId?: string } {
    const start = afterId === undefined ? 0 : (this.indexOf(afterId) ?? -1) + 1;
    const members: SlackUser[] = [];
    for (let index = start; index < Math.min(this.count, start + limit); index += 1)
      members.push(this.get(this.idOf(index))!);
    const last = members[members.length - 1];
    return { members, nextId: start + limit < this.count && last ? last.id : undefined };
  }
}
