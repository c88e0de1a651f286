import { configureOutbound, outboundConfig } from '../../platform/http/outbound-fetch';
import { checkInstanceUrl, nextInstanceUrl, takesInstanceUrl } from './instance-url';

describe('instance_url from a token answer', () => {
  const saved = outboundConfig();
  beforeAll(() => configureOutbound({ allowLoopback: false, extraHosts: [] }));
  afterAll(() => configureOutbound(saved));

  it('takes Salesforce instance hosts (My Domain, sandboxes, older pods) as their origin', () => {
    expect(checkInstanceUrl('salesforce', 'https://acme.my.salesforce.com')).toEqual({
      kind: 'accepted',
      url: 'https://acme.my.salesforce.com',
    });
    expect(checkInstanceUrl('salesforce', 'https://acme--uat.sandbox.my.salesforce.com/')).toMatchObject({
      url: 'https://acme--uat.sandbox.my.salesforce.com',
    });
    expect(checkInstanceUrl('salesforce', 'https://na85.salesforce.com')).toMatchObject({ kind: 'accepted' });
  });

  it.each([
    ['https://evil.example.com', 'evil.example.com'],
    ['https://salesforce.com.evil.example', 'salesforce.com.evil.example'],
    ['https://login.salesforce.com', 'login.salesforce.com'],
    ['https://test.salesforce.com', 'test.salesforce.com'],
    ['http://acme.my.salesforce.com', 'acme.my.salesforce.com'],
    ['http://127.0.0.1:8080', '127.0.0.1:8080'],
    ['https://169.254.169.254', '169.254.169.254'],
  ])('refuses %s', (raw, host) => {
    expect(checkInstanceUrl('salesforce', raw)).toMatchObject({ kind: 'refused', host });
  });

  it('ignores the field for providers without instances, and a missing one', () => {
    expect(takesInstanceUrl('github')).toBe(false);
    expect(checkInstanceUrl('github', 'https://evil.example.com')).toEqual({ kind: 'none' });
    expect(checkInstanceUrl('salesforce', undefined)).toEqual({ kind: 'none' });
    expect(checkInstanceUrl(undefined, 'https://acme.my.salesforce.com')).toEqual({ kind: 'none' });
  });

  it('accepts a host the operator allowed, and the loopback sandbox only when loopback is on', () => {
    configureOutbound({ allowLoopback: true, extraHosts: ['*.my.salesforce.mil'] });
    try {
      expect(checkInstanceUrl('salesforce', 'https://acme.my.salesforce.mil')).toMatchObject({ kind: 'accepted' });
      expect(checkInstanceUrl('salesforce', 'http://127.0.0.1:8080')).toMatchObject({ kind: 'accepted' });
    } finally {
      configureOutbound({ allowLoopback: false, extraHosts: [] });
    }
  });

  it('keeps the stored instance after a refused answer and reports the host', () => {
    const refused: string[] = [];
    const report = (host: string) => refused.push(host);
    expect(nextInstanceUrl('salesforce', 'https://a.my.salesforce.com', 'https://evil.example.com', report)).toBe(
      'https://a.my.salesforce.com',
    );
    expect(nextInstanceUrl('salesforce', 'https://a.my.salesforce.com', 'https://b.my.salesforce.com', report)).toBe(
      'https://b.my.salesforce.com',
    );
    expect(nextInstanceUrl('salesforce', 'https://a.my.salesforce.com', undefined, report)).toBe(
      'https://a.my.salesforce.com',
    );
    expect(refused).toEqual(['evil.example.com']);
  });
});
