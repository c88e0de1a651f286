/**
 * Where the sandbox org lives. Salesforce names an org's instance in every token answer (`instance_url`), and an
 * org can move (an instance refresh or a split without My Domain): the next token answer names the new host.
 * The sandbox models a move as a second listener on its own port serving the same org, tokens and limits; from
 * then on token answers name it. The old instance keeps answering (as old instance names keep working for a
 * while), and each instance counts its own calls, so a test sees which host a client followed.
 */
import type { RequestContext } from '../common/router';
import type { RunningSandbox } from '../common/types';

export class OrgInstances {
  private readonly servers: RunningSandbox[] = [];
  /** What token answers name; unset: the answering server's own URL. */
  private named: string | undefined;

  constructor(private readonly startInstance: () => Promise<RunningSandbox>) {}

  /** The listener the sandbox started on. */
  add(server: RunningSandbox): void {
    this.servers.push(server);
  }

  instanceUrl(ctx: RequestContext): string {
    return this.named ?? ctx.baseUrl;
  }

  /** Moves the org to a new instance on a port of its own; resolves to its URL. */
  async move(): Promise<string> {
    const next = await this.startInstance();
    this.servers.push(next);
    this.named = next.url;
    return next.url;
  }

  /** Token answers name this URL from now on (e.g. a host that is no Salesforce instance, for refusal tests). */
  name(url: string): void {
    this.named = url;
  }

  /** Provider calls received per instance URL, in the order the instances were opened. */
  calls(): Record<string, number> {
    return Object.fromEntries(this.servers.map((server) => [server.url, server.control.calls().total]));
  }

  async stopMoved(): Promise<void> {
    await Promise.all(this.servers.slice(1).map((server) => server.stop()));
  }
}
