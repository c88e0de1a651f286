/**
 * OAuth scopes in the Google sandbox, as Google applies them: the authorize request names the scopes, the token
 * answer's `scope` lists what was granted (refreshes keep the grant), and a call the grant does not cover is
 * 403 insufficientPermissions (with ACCESS_TOKEN_SCOPE_INSUFFICIENT details and a WWW-Authenticate
 * insufficient_scope header). Which scopes a method accepts follows each method's "Authorization scopes" in the
 * Calendar v3 and Drive v3 references. drive.file alone sees only the files the app created. Tokens minted by
 * the sandbox's control (issueToken) hold the full calendar and drive scopes.
 */
import type { RequestContext } from '../common/router';
import type { SandboxResponse } from '../common/types';

const S = 'https://www.googleapis.com/auth/';
export const FULL_SCOPES = [`${S}calendar`, `${S}drive`];

const CALENDAR_READ = [`${S}calendar`, `${S}calendar.readonly`];
const EVENTS_READ = [...CALENDAR_READ, `${S}calendar.events`, `${S}calendar.events.readonly`];
const EVENTS_WRITE = [`${S}calendar`, `${S}calendar.events`];
const DRIVE_READ_WIDE = [`${S}drive`, `${S}drive.readonly`, `${S}drive.metadata`, `${S}drive.metadata.readonly`];
const DRIVE_READ = [...DRIVE_READ_WIDE, `${S}drive.file`];
const DRIVE_WRITE = [`${S}drive`, `${S}drive.file`];

/** The scopes of which a call needs one, by method and path; undefined: not checked. */
export function requiredScopes(method: string, path: string): readonly string[] | undefined {
  if (/^\/calendar\/v3\/calendars\/[^/]+\/?$/.test(path)) return CALENDAR_READ;
  if (/^\/calendar\/v3\/calendars\/[^/]+\/events\/watch\/?$/.test(path)) return EVENTS_READ;
  if (/^\/calendar\/v3\/calendars\/[^/]+\/events(\/[^/]+)?\/?$/.test(path))
    return method === 'GET' ? EVENTS_READ : EVENTS_WRITE;
  if (/^\/drive\/v3\/changes(\/|$)/.test(path)) return DRIVE_READ;
  if (/^\/drive\/v3\/files(\/|$)/.test(path)) {
    if (method === 'GET') return DRIVE_READ;
    return method === 'PATCH' ? [...DRIVE_WRITE, `${S}drive.metadata`] : DRIVE_WRITE;
  }
  return undefined;
}

const bearer = (authorization: string | undefined): string => (authorization ?? '').replace(/^bearer\s+/i, '').trim();

/** Granted scopes by authorization code, access token and refresh token. */
export class GrantedScopes {
  private readonly byCode = new Map<string, string[]>();
  private readonly byAccess = new Map<string, string[]>();
  private readonly byRefresh = new Map<string, string[]>();

  rememberCode(code: string, scopes: string[]): void {
    this.byCode.set(code, scopes);
  }

  /** Scopes of the grant a token request used (the code's, or the refresh token's). */
  forGrant(form: Record<string, string | undefined>): string[] {
    const fromCode = form.code ? this.byCode.get(form.code) : undefined;
    if (form.code) this.byCode.delete(form.code);
    const fromRefresh = form.refresh_token ? this.byRefresh.get(form.refresh_token) : undefined;
    return fromCode ?? fromRefresh ?? FULL_SCOPES;
  }

  issued(scopes: string[], accessToken: string, refreshToken: string): void {
    this.byAccess.set(accessToken, scopes);
    this.byRefresh.set(refreshToken, scopes);
  }

  of(ctx: RequestContext): string[] {
    return this.byAccess.get(bearer(ctx.headers.authorization)) ?? FULL_SCOPES;
  }

  /** drive.file without any wider Drive scope: only the app's own files are visible. */
  appFilesOnly(ctx: RequestContext): boolean {
    const scopes = this.of(ctx);
    return scopes.includes(`${S}drive.file`) && !scopes.some((scope) => DRIVE_READ_WIDE.includes(scope));
  }

  /** Google's answer to a call the grant does not cover; undefined when it does. */
  check(ctx: RequestContext): SandboxResponse | undefined {
    const required = requiredScopes(ctx.method, ctx.path);
    if (!required) return undefined;
    const granted = this.of(ctx);
    if (required.some((scope) => granted.includes(scope))) return undefined;
    return {
      status: 403,
      headers: {
        'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${required.join(' ')}"`,
      },
      json: {
        error: {
          code: 403,
          message: 'Request had insufficient authentication scopes.',
          errors: [{ message: 'Insufficient Permission', domain: 'global', reason: 'insufficientPermissions' }],
          status: 'PERMISSION_DENIED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
              domain: 'googleapis.com',
              metadata: {
                service: ctx.path.startsWith('/drive/') ? 'drive.googleapis.com' : 'calendar-json.googleapis.com',
              },
            },
          ],
        },
      },
    };
  }
}
