import { eventTypeOf } from './event-type';

const headers = (values: Record<string, string>) => (name: string) => values[name.toLowerCase()];

describe('eventTypeOf', () => {
  it('takes the provider’s own event header where it sends one', () => {
    expect(eventTypeOf('github', headers({ 'x-github-event': 'issue_comment' }), ['issue_comments'])).toBe(
      'issue_comment',
    );
    expect(eventTypeOf('github', headers({ 'x-github-event': 'ping' }), [])).toBe('ping');
    expect(eventTypeOf('google', headers({ 'x-goog-resource-state': 'exists' }), ['events'])).toBe('exists');
  });

  it('otherwise names the entities the events change, once each, sorted', () => {
    expect(eventTypeOf('salesforce', headers({}), ['Contact', 'Account', 'Contact'])).toBe('Account,Contact');
    expect(eventTypeOf('slack', headers({}), ['messages'])).toBe('messages');
    expect(eventTypeOf('google', headers({}), ['messages'])).toBe('messages');
    expect(eventTypeOf('notion', headers({}), [undefined])).toBeUndefined();
    expect(eventTypeOf('generic', headers({}), ['x'.repeat(300)])).toHaveLength(100);
  });
});
