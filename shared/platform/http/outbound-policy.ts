/**
 * The outbound address rule, as pure functions: which URLs the app may send credentials, tokens or
 * notifications to. A target must be https on a host allowed for its purpose (a provider's public API hosts,
 * plus the operator's OUTBOUND_ALLOWED_HOSTS), and no address it names or resolves to may be loopback,
 * link-local, private, CGNAT, multicast, reserved, unspecified or a cloud metadata address. Loopback (plain
 * http too) is allowed only when the operator turned OUTBOUND_ALLOW_LOOPBACK on for the local sandboxes.
 * The connect-time half (checking what DNS answers when the socket opens) is in outbound-fetch.ts.
 */
import { BlockList, isIP } from 'node:net';

export interface OutboundPolicy {
  /** Local sandboxes (demo and test mode only): loopback targets, over http or https, on any host name. */
  allowLoopback: boolean;
  /** Operator allow-list: exact host names or `*.suffix` (any name below suffix). */
  extraHosts: readonly string[];
}

export type OutboundVerdict = { ok: true; url: URL } | { ok: false; reason: string };

// WHATWG URL parsing already turns 2130706433, 0177.0.0.1, 0x7f.1 and 127.1 into dotted 127.0.0.1, and
// IPv6 into its compressed form, so the ranges below see one notation. Sources: IANA special-purpose
// registries (RFC 6890 and updates).
const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata 169.254.169.254
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24],
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv4');
}
// Azure's platform address (wire server, instance metadata and DNS proxy): public-looking, never a provider.
BLOCKED.addAddress('168.63.129.16', 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64], // discard
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID …)
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (fd00:ec2::254 is AWS metadata)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  BLOCKED.addSubnet(network, prefix, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Expands an IPv6 literal to eight 16-bit groups (embedded dotted IPv4 included); undefined if malformed. */
function ipv6Groups(address: string): number[] | undefined {
  let text = address.toLowerCase().split('%')[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const bytes = dotted[1]!.split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`;
  }
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 0) return undefined;
  return [...left, ...new Array<number>(tail === undefined ? 0 : missing).fill(0), ...right];
}

/** The IPv4 address an IPv6 one carries (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64, 6to4), if any. */
function embeddedIpv4(address: string): string | undefined {
  const g = ipv6Groups(address);
  if (!g) return undefined;
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && (g[5] === 0xffff || g[5] === 0)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6]!, g[7]!);
  if (g[0] === 0x2002) return v4(g[1]!, g[2]!);
  return undefined;
}

/** An IP literal (as URL.hostname gives it, brackets allowed) the app never connects to. */
export function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return BLOCKED.check(bare, 'ipv4');
  if (family !== 6) return true;
  const inner = embeddedIpv4(bare);
  if (inner !== undefined) return BLOCKED.check(inner, 'ipv4');
  return BLOCKED.check(bare, 'ipv6');
}

/** Loopback literal (127/8, ::1, or IPv4-mapped 127/8). */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) return LOOPBACK.check(bare, 'ipv4');
  if (family !== 6) return false;
  if (LOOPBACK.check(bare, 'ipv6')) return true;
  const inner = embeddedIpv4(bare);
  return inner !== undefined ? LOOPBACK.check(inner, 'ipv4') : LOOPBACK.check(bare, 'ipv6');
}

/** Whether an address the resolver answered may be connected to under the policy. */
export function addressAllowed(address: string, policy: Pick<OutboundPolicy, 'allowLoopback'>): boolean {
  if (policy.allowLoopback && isLoopbackAddress(address)) return true;
  return !isBlockedAddress(address);
}

/** `api.github.com` matches itself; `*.salesforce.com` matches any name ending in `.salesforce.com`. */
export function hostMatches(host: string, pattern: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  const rule = pattern.trim().toLowerCase().replace(/\.$/, '');
  if (rule.startsWith('*.')) return name.endsWith(rule.slice(1)) && name.length > rule.length - 1;
  return name === rule;
}

/** Parses and checks a target URL against the string half of the rule (scheme, host, literal address). */
export function checkOutboundUrl(
  target: string | URL,
  allowedHosts: readonly string[],
  policy: OutboundPolicy,
): OutboundVerdict {
  let url: URL;
  try {
    url = typeof target === 'string' ? new URL(target) : target;
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'must not carry a user name or password' };
  const host = url.hostname;
  const literal = isIP(host.replace(/^\[|\]$/g, '')) !== 0;
  const loopbackName = host === 'localhost' || host.endsWith('.localhost');
  if (policy.allowLoopback && (loopbackName || (literal && isLoopbackAddress(host)))) {
    if (url.protocol === 'https:' || url.protocol === 'http:') return { ok: true, url };
    return { ok: false, reason: 'must be an https URL' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'must be an https URL' };
  if (literal)
    return {
      ok: false,
      reason: isBlockedAddress(host)
        ? 'names an address that is not allowed (private, loopback, link-local or metadata)'
        : 'must name a host, not an IP address',
    };
  if (loopbackName)
    return { ok: false, reason: 'names an address that is not allowed (private, loopback, link-local or metadata)' };
  const allowed = [...allowedHosts, ...policy.extraHosts].some((pattern) => hostMatches(host, pattern));
  if (!allowed)
    return {
      ok: false,
      reason: `host ${host} is not allowed for this target (add it to OUTBOUND_ALLOWED_HOSTS for a self-hosted instance)`,
    };
  return { ok: true, url };
}

/** OUTBOUND_ALLOWED_HOSTS: comma-separated names or `*.suffix`; undefined entries are refused by settings. */
export function parseHostList(value: string | undefined): string[] | { error: string } {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  for (const entry of entries) {
    if (!/^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/.test(entry)) {
      return {
        error: `"${entry}" is not a host name or *.suffix (at least two labels; no IP addresses, ports or schemes)`,
      };
    }
    if (/^(\*\.)?[\d.]+$/.test(entry)) return { error: `"${entry}" is an IP address: name the host instead` };
  }
  return entries;
}
