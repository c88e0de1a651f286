/**
 * The outbound address rule's string half. Property tests write IPv4 addresses in every notation the URL
 * parser accepts (decimal, octal, hex, short forms, IPv4-mapped IPv6) and compare the verdict with an
 * independent integer-range oracle, so a notation that slips past the parser-then-BlockList path shows up.
 */
import fc from 'fast-check';
import { checkOutboundUrl, hostMatches, isBlockedAddress, parseHostList, type OutboundPolicy } from './outbound-policy';

const STRICT: OutboundPolicy = { allowLoopback: false, extraHosts: [] };
const LOCAL: OutboundPolicy = { allowLoopback: true, extraHosts: [] };
const GITHUB = ['api.github.com', 'github.com'];

// [first address, prefix length] of every IPv4 range the app must never reach, as plain integers.
const ORACLE_RANGES: Array<[number, number]> = [
  [0x00000000, 8],
  [0x0a000000, 8],
  [0x64400000, 10],
  [0x7f000000, 8],
  [0xa9fe0000, 16],
  [0xac100000, 12],
  [0xc0000000, 24],
  [0xc0000200, 24],
  [0xc0586300, 24],
  [0xc0a80000, 16],
  [0xc6120000, 15],
  [0xc6336400, 24],
  [0xcb007100, 24],
  [0xe0000000, 4],
  [0xf0000000, 4],
  [0xa83f8110, 32],
];
const oracleBlocked = (n: number) =>
  ORACLE_RANGES.some(([base, prefix]) => Math.floor(n / 2 ** (32 - prefix)) === Math.floor(base / 2 ** (32 - prefix)));

const bytes = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255] as const;
const notations = (n: number): string[] => {
  const [a, b, c, d] = bytes(n);
  return [
    `${a}.${b}.${c}.${d}`,
    String(n),
    `0x${n.toString(16)}`,
    [a, b, c, d].map((x) => `0${x.toString(8)}`).join('.'),
    [a, b, c, d].map((x) => `0x${x.toString(16)}`).join('.'),
    `${a}.${b}.${(c << 8) | d}`,
    `${a}.${(b << 16) | (c << 8) | d}`,
    `0${a.toString(8)}.0x${b.toString(16)}.${(c << 8) | d}`,
  ];
};
const hostOf = (form: string) => new URL(`https://${form}/`).hostname;

/** Addresses drawn mostly from inside the blocked ranges (edges included), some from anywhere. */
const ipv4 = fc.oneof(
  fc
    .constantFrom(...ORACLE_RANGES)
    .chain(([base, prefix]) => fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => base + offset)),
  fc
    .constantFrom(...ORACLE_RANGES)
    .chain(([base, prefix]) => fc.constantFrom(base - 1, base + 2 ** (32 - prefix)))
    .filter((n) => n >= 0 && n < 2 ** 32),
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
);

describe('IPv4 in any notation', () => {
  it('is blocked exactly when the integer oracle says so, whatever the notation', () => {
    fc.assert(
      fc.property(ipv4, fc.nat(7), (n, pick) => {
        const form = notations(n)[pick]!;
        expect(isBlockedAddress(hostOf(form))).toBe(oracleBlocked(n));
      }),
      { numRuns: 3000 },
    );
  });

  it('mapped into IPv6 (::ffff:a.b.c.d, its hex form, NAT64) gets the same verdict', () => {
    fc.assert(
      fc.property(ipv4, fc.constantFrom('::ffff:', '64:ff9b::', '::'), (n, prefix) => {
        const [a, b, c, d] = bytes(n);
        const host = hostOf(`[${prefix}${a}.${b}.${c}.${d}]`);
        expect(isBlockedAddress(host)).toBe(oracleBlocked(n) || (prefix === '::' && n < 2 ** 16));
      }),
      { numRuns: 1000 },
    );
  });

  it('a blocked literal in a URL is refused under the strict policy, in every notation', () => {
    fc.assert(
      fc.property(ipv4.filter(oracleBlocked), fc.nat(7), (n, pick) => {
        expect(checkOutboundUrl(`https://${notations(n)[pick]!}/`, GITHUB, STRICT).ok).toBe(false);
      }),
    );
  });

  it('names the metadata address as refused in decimal, octal and hex', () => {
    for (const form of [
      '169.254.169.254',
      '2852039166',
      '0251.0376.0251.0376',
      '0xa9fea9fe',
      '0xa9.0xfe.0xa9.0xfe',
      '169.16689662',
      '[::ffff:169.254.169.254]',
      '[::ffff:a9fe:a9fe]',
    ]) {
      const verdict = checkOutboundUrl(`https://${form}/latest/meta-data`, GITHUB, LOCAL);
      expect({ form, ok: verdict.ok }).toEqual({ form, ok: false });
    }
  });
});

describe('IPv6', () => {
  const group = fc.integer({ min: 0, max: 0xffff }).map((g) => g.toString(16));
  const tail = fc.array(group, { minLength: 7, maxLength: 7 }).map((groups) => groups.join(':'));
  it('unique-local fc00::/7, link-local fe80::/10 and multicast ff00::/8 are blocked', () => {
    fc.assert(
      fc.property(
        fc.constantFrom([0xfc00, 0xfe00], [0xfe80, 0xffc0], [0xff00, 0xff00]),
        fc.integer({ min: 0, max: 0xffff }),
        tail,
        ([base, mask], low, rest) => {
          const first = (base | (low & ~mask & 0xffff)).toString(16);
          expect(isBlockedAddress(`${first}:${rest}`)).toBe(true);
        },
      ),
    );
  });
  it.each([
    '::1',
    '::',
    '[::1]',
    '[::ffff:127.0.0.1]',
    '[::ffff:7f00:1]',
    'fe80::1%eth0',
    '2001:db8::1',
    'fd00:ec2::254',
  ])('%s is blocked', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });
  it('a public address is not', () => {
    expect(isBlockedAddress('2606:50c0:8000::154')).toBe(false);
    expect(isBlockedAddress('140.82.112.6')).toBe(false);
  });
});

describe('checkOutboundUrl', () => {
  it.each([
    ['file:///etc/passwd', 'https'],
    ['gopher://127.0.0.1:6379/_INFO', 'https'],
    ['data:text/plain,hello', 'https'],
    ['http://api.github.com', 'https'],
    ['https://evil.example.com', 'not allowed'],
    ['https://api.github.com.evil.example', 'not allowed'],
    ['https://localhost:10000', 'not allowed'],
    ['https://user:pass@api.github.com', 'user name'],
    ['https://8.8.8.8', 'IP address'],
  ])('refuses %s (%s)', (url, word) => {
    const verdict = checkOutboundUrl(url, GITHUB, STRICT);
    expect(verdict.ok).toBe(false);
    expect(verdict.ok ? '' : verdict.reason).toContain(word);
  });

  it('accepts the provider hosts and operator hosts over https', () => {
    expect(checkOutboundUrl('https://api.github.com/repos', GITHUB, STRICT).ok).toBe(true);
    expect(checkOutboundUrl('https://API.GitHub.com./repos', GITHUB, STRICT).ok).toBe(true);
    expect(checkOutboundUrl('https://github.example.com/api/v3', GITHUB, STRICT).ok).toBe(false);
    expect(
      checkOutboundUrl('https://github.example.com/api/v3', GITHUB, {
        allowLoopback: false,
        extraHosts: ['github.example.com'],
      }).ok,
    ).toBe(true);
  });

  it('allows loopback, plain http included, only with the explicit local exception', () => {
    for (const url of ['http://127.0.0.1:4010', 'http://localhost:4010', 'https://[::1]:4010', 'http://127.9.9.9']) {
      expect(checkOutboundUrl(url, GITHUB, STRICT).ok).toBe(false);
      expect(checkOutboundUrl(url, GITHUB, LOCAL).ok).toBe(true);
    }
    // The exception is loopback only: private and metadata addresses stay refused.
    for (const url of ['http://10.0.0.5', 'https://192.168.1.1', 'http://169.254.169.254', 'gopher://127.0.0.1:6379'])
      expect(checkOutboundUrl(url, GITHUB, LOCAL).ok).toBe(false);
  });
});

describe('host patterns', () => {
  it('*.suffix matches names below the suffix only', () => {
    expect(hostMatches('acme.my.salesforce.com', '*.my.salesforce.com')).toBe(true);
    expect(hostMatches('my.salesforce.com', '*.my.salesforce.com')).toBe(false);
    expect(hostMatches('evilsalesforce.com', '*.salesforce.com')).toBe(false);
    expect(hostMatches('salesforce.com.evil.io', '*.salesforce.com')).toBe(false);
  });
  it('OUTBOUND_ALLOWED_HOSTS takes names and *.suffix, refuses addresses, ports and schemes', () => {
    expect(parseHostList(' github.example.com, *.corp.example ')).toEqual(['github.example.com', '*.corp.example']);
    for (const bad of ['10.0.0.5', 'https://x.example', 'x.example:443', 'localhost', '*'])
      expect(parseHostList(bad)).toHaveProperty('error');
  });
});
