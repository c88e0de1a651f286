/**
 * `npm run sandbox -- <provider> [--port N] [--records N] [--seed N] [--webhook-url URL] [--webhook-secret S]`
 * Starts one provider sandbox in the foreground and prints its URL, a ready access token and the admin routes.
 */
import { availableSandboxes, startSandbox, type SandboxOptions } from './index';

function parseArgs(argv: string[]): { provider?: string; options: SandboxOptions; error?: string } {
  const options: SandboxOptions = {};
  let provider: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const value = argv[i + 1];
    const number = (name: string): number | string => {
      i += 1;
      const parsed = Number(value);
      return value !== undefined && Number.isInteger(parsed) && parsed >= 0
        ? parsed
        : `${name} needs a non-negative integer`;
    };
    if (arg === '--port' || arg === '--records' || arg === '--seed') {
      const parsed = number(arg);
      if (typeof parsed === 'string') return { options, error: parsed };
      options[arg.slice(2) as 'port' | 'records' | 'seed'] = parsed;
    } else if (arg === '--webhook-url' || arg === '--webhook-secret') {
      i += 1;
      if (!value) return { options, error: `${arg} needs a value` };
      if (arg === '--webhook-url') options.webhookUrl = value;
      else options.webhookSecret = value;
    } else if (!arg.startsWith('--') && provider === undefined) {
      provider = arg;
    } else {
      return { options, error: `unknown argument ${arg}` };
    }
  }
  return { provider, options };
}

async function main(): Promise<void> {
  const { provider, options, error } = parseArgs(process.argv.slice(2));
  if (error || !provider || !availableSandboxes().includes(provider as never)) {
    console.error(error ?? (provider ? `unknown provider ${provider}` : 'missing provider'));
    console.error(
      `usage: npm run sandbox -- <${availableSandboxes().join('|')}> [--port N] [--records N] [--seed N] [--webhook-url URL --webhook-secret S]`,
    );
    process.exitCode = 2;
    return;
  }
  const sandbox = await startSandbox(provider, options);
  // A long-lived token so the printed one works for a whole session of trying things out.
  const tokens = sandbox.control.issueToken({ expiresInMs: 24 * 3600_000 });
  console.log(`${provider} sandbox listening on ${sandbox.url}`);
  console.log(`access token (24 h): ${tokens.accessToken}`);
  console.log(`refresh token:       ${tokens.refreshToken}`);
  console.log(
    `try: curl -H "Authorization: Bearer ${tokens.accessToken}" ${sandbox.url}${provider === 'github' ? '/repos/acme/widgets/issues?per_page=2' : provider === 'notion' ? '/v1/users/me' : '/'}`,
  );
  console.log(
    `admin: ${sandbox.url}/__sandbox/calls, POST ${sandbox.url}/__sandbox/faults {"kind":"rate_limit"}, POST ${sandbox.url}/__sandbox/records`,
  );
  const shutdown = () => {
    sandbox.stop().finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
