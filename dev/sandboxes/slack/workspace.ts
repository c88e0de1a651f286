/**
 * The Slack sandbox's workspace: channels of messages and a user directory, both seeded lazily. A message's ts is
 * its id and its post time; seeded history ends shortly before the sandbox started, one message every 30 s, so
 * recent history looks like a live channel. Edits and deletions live in a small overlay per channel.
 */
import { intBetween, pick, seededRandom, sentence } from '../common/seeded';
import {
  DEFAULT_THREAD_SHARE,
  MAX_SEEDED_REPLIES,
  REPLY_SPACING_MICROS,
  isReply,
  seededReplyCount,
  withThreadSummary,
} from './threads';
import type { SlackMessage, SlackUser } from './types';

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

/** Bounds of a history or replies read: strictly between, or inclusive when asked. */
export interface TsBounds {
  oldest?: bigint;
  latest?: bigint;
  inclusive: boolean;
  /** The latest bound's own inclusiveness, when it differs (a cursor names the next message: inclusive). */
  latestInclusive?: boolean;
}

const within = (bounds: TsBounds, micros: bigint): boolean =>
  (bounds.oldest === undefined || (bounds.inclusive ? micros >= bounds.oldest : micros > bounds.oldest)) &&
  (bounds.latest === undefined ||
    ((bounds.latestInclusive ?? bounds.inclusive) ? micros <= bounds.latest : micros < bounds.latest));

/**
 * One channel: seeded top-level messages by index (with their seeded threads), posts after them, and an
 * overlay of edits and deletions. Replies never appear in history(); replies() reads one thread.
 */
export class ChannelHistory {
  private readonly firstBaseMicros: bigint;
  private readonly changes = new Map<string, SlackMessage | null>();
  /** Top-level messages posted through the API, oldest first. */
  private readonly posted: bigint[] = [];
  /** Replies posted through the API, by their parent's ts, oldest first. */
  private readonly postedReplies = new Map<string, bigint[]>();
  private deletedBase = 0;
  private deletedSeededReplies = 0;
  private seededReplyTotal: number | undefined;
  private lastMicros: bigint;

  constructor(
    readonly id: string,
    readonly baseCount: number,
    anchorMicros: bigint,
    private readonly seed: number,
    private readonly salt: number,
    private readonly userCount: number,
    private readonly threadShare = DEFAULT_THREAD_SHARE,
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

  private replyCountOf(index: number): number {
    return seededReplyCount(this.seed, this.salt, index, this.threadShare);
  }

  /** The seeded reply at this ts, as (parent index, reply number 1…n), if there is one. */
  private seededReplyAt(micros: bigint): { index: number; n: number } | undefined {
    const offset = micros - this.firstBaseMicros;
    if (offset < 0n) return undefined;
    const index = Number(offset / STEP_MICROS);
    const rest = offset % STEP_MICROS;
    if (index >= this.baseCount || rest === 0n || rest % REPLY_SPACING_MICROS !== 0n) return undefined;
    const n = Number(rest / REPLY_SPACING_MICROS);
    return n <= this.replyCountOf(index) ? { index, n } : undefined;
  }

  private userOf(random: () => number): string {
    return `U${intBetween(random, 0, Math.max(0, this.userCount - 1))
      .toString(36)
      .toUpperCase()
      .padStart(8, '0')}`;
  }

  private generate(index: number): SlackMessage {
    const random = seededRandom(this.seed, index, this.salt);
    return {
      type: 'message',
      user: this.userOf(random),
      text: `${sentence(random, 3, 12)} ${pick(random, ['', ':tada:', ':eyes:'])}`.trim(),
      ts: microsToTs(this.baseMicros(index)),
      team: TEAM_ID,
    };
  }

  private generateReply(index: number, n: number): SlackMessage {
    const random = seededRandom(this.seed, index * (MAX_SEEDED_REPLIES + 1) + n, this.salt + 1);
    const parent = this.generate(index);
    return {
      type: 'message',
      user: this.userOf(random),
      text: sentence(random, 2, 10),
      ts: microsToTs(this.baseMicros(index) + BigInt(n) * REPLY_SPACING_MICROS),
      team: TEAM_ID,
      thread_ts: parent.ts,
      parent_user_id: parent.user,
    };
  }

  /** A message as stored, without its thread summary; undefined when unknown or deleted. */
  private raw(ts: string): SlackMessage | undefined {
    if (this.changes.has(ts)) return this.changes.get(ts) ?? undefined;
    const micros = tsToMicros(ts);
    if (micros === undefined) return undefined;
    const index = this.baseIndex(micros);
    if (index !== undefined) return this.generate(index);
    const reply = this.seededReplyAt(micros);
    return reply && this.generateReply(reply.index, reply.n);
  }

  /** The live replies of a top-level message, oldest first. */
  private repliesOf(parentTs: string): SlackMessage[] {
    const micros = tsToMicros(parentTs);
    const index = micros === undefined ? undefined : this.baseIndex(micros);
    const seeded: string[] = [];
    if (index !== undefined)
      for (let n = 1; n <= this.replyCountOf(index); n += 1)
        seeded.push(microsToTs(micros! + BigInt(n) * REPLY_SPACING_MICROS));
    const posted = (this.postedReplies.get(parentTs) ?? []).map(microsToTs);
    return [...seeded, ...posted].map((ts) => this.raw(ts)).filter((reply): reply is SlackMessage => !!reply);
  }

  /** Any message of the channel, parents with their thread summary. */
  get(ts: string): SlackMessage | undefined {
    const message = this.raw(ts);
    if (!message || isReply(message)) return message;
    return withThreadSummary(message, this.repliesOf(ts));
  }

  count(): number {
    this.seededReplyTotal ??= Array.from({ length: this.baseCount }, (_, i) => this.replyCountOf(i)).reduce(
      (sum, n) => sum + n,
      0,
    );
    const alive = (micros: bigint) => !!this.changes.get(microsToTs(micros));
    const postedReplies = [...this.postedReplies.values()].flat().filter(alive).length;
    return (
      this.baseCount -
      this.deletedBase +
      this.seededReplyTotal -
      this.deletedSeededReplies +
      this.posted.filter(alive).length +
      postedReplies
    );
  }

  /** A ts after every message so far (Slack's ts are unique per channel). */
  nextTs(): string {
    const now = BigInt(Date.now()) * 1000n;
    this.lastMicros = now > this.lastMicros ? now : this.lastMicros + 1n;
    return microsToTs(this.lastMicros);
  }

  /** Posts a message: a reply when its thread_ts names another message (the caller checked that it exists). */
  post(message: SlackMessage): void {
    this.changes.set(message.ts, message);
    const micros = tsToMicros(message.ts)!;
    if (!isReply(message)) {
      this.posted.push(micros);
      return;
    }
    const thread = this.postedReplies.get(message.thread_ts as string) ?? [];
    thread.push(micros);
    this.postedReplies.set(message.thread_ts as string, thread);
  }

  /** The parent a new reply to `ts` joins: the message itself, or its parent when it is a reply. */
  threadParent(ts: string): SlackMessage | undefined {
    const message = this.raw(ts);
    if (!message || !isReply(message)) return message && this.get(ts);
    return this.get(message.thread_ts as string);
  }

  replace(message: SlackMessage): void {
    this.changes.set(message.ts, message);
  }

  delete(ts: string): boolean {
    if (!this.raw(ts)) return false;
    const micros = tsToMicros(ts);
    if (micros !== undefined && this.baseIndex(micros) !== undefined) this.deletedBase += 1;
    else if (micros !== undefined && this.seededReplyAt(micros)) this.deletedSeededReplies += 1;
    this.changes.set(ts, null);
    return true;
  }

  /** Top-level messages, newest first, within the bounds: at most `limit` + whether more exist. */
  history(bounds: TsBounds, limit: number): { messages: SlackMessage[]; hasMore: boolean } {
    const out: SlackMessage[] = [];
    const take = (micros: bigint): boolean => {
      // Newest first: past `oldest` the walk ends; above `latest` it goes on.
      if (!within({ oldest: bounds.oldest, inclusive: bounds.inclusive }, micros)) return false;
      if (!within({ latest: bounds.latest, inclusive: bounds.latestInclusive ?? bounds.inclusive }, micros))
        return true;
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

  /**
   * One page of a thread, oldest first: the parent (first page only, whatever the bounds), then its replies
   * within the bounds from `fromTs` on (the cursor: inclusive). Undefined when `ts` names no message; a
   * message without replies is a thread of one. `ts` may name a reply: its thread is read.
   */
  replies(
    ts: string,
    bounds: TsBounds,
    fromTs: bigint | undefined,
    limit: number,
  ): { messages: SlackMessage[]; next?: SlackMessage } | undefined {
    const parent = this.threadParent(ts);
    if (!parent) return undefined;
    const replies = this.repliesOf(parent.ts).filter((reply) => {
      const micros = tsToMicros(reply.ts)!;
      return within(bounds, micros) && (fromTs === undefined || micros >= fromTs);
    });
    const items = fromTs === undefined ? [parent, ...replies] : replies;
    return { messages: items.slice(0, limit), next: items[limit] };
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
