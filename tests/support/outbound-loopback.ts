/**
 * Jest setup (every test file): the outbound address rule with its explicit local exception, so tests that
 * build adapter contexts or token requests against the 127.0.0.1 sandboxes reach them. Tests of the rule
 * itself call configureOutbound with the strict policy; createTestServices sets OUTBOUND_ALLOW_LOOPBACK too.
 * Admin UI component tests run in jsdom, which lacks the web streams undici needs at load time, and they make
 * no outbound call: the rule is not loaded there.
 */
if (!('window' in globalThis)) {
  const { configureOutbound } =
    require('../../shared/platform/http/outbound-fetch') as typeof import('../../shared/platform/http/outbound-fetch');
  configureOutbound({ allowLoopback: true, extraHosts: [] });
}
