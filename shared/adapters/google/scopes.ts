/**
 * Google answers a write made with a read-only grant with 403 insufficientPermissions. The grant's scopes are
 * known from the token answer, so a push that cannot succeed is refused before any request, with an error that
 * names the scope to ask for (the connect flow asks for it when the integration's direction includes outbound).
 */
import { AppError } from '../../core/app-error';
import type { AuthProvider } from '../contract';
import { GOOGLE_FACTS, type GoogleEntity } from './facts';

/** The refusal of a push of `entity` under the grant; undefined when it may go ahead or the scopes are unknown. */
export async function missingWriteScope(
  auth: AuthProvider,
  entity: GoogleEntity,
  signal?: AbortSignal,
): Promise<AppError | undefined> {
  const granted = (await auth.grant?.(signal))?.scopes;
  if (!granted) return undefined;
  const allowed: readonly string[] = GOOGLE_FACTS.writeScopes[entity];
  if (allowed.some((scope) => granted.includes(scope))) return undefined;
  return new AppError(
    'forbidden',
    `pushing Google ${entity} needs the ${allowed.join(' or ')} scope; the credential was granted only ${granted.join(', ')}: set the integration's direction to outbound or bidirectional and connect it again`,
    {
      target: 'scope',
      details: { provider: 'google', requiredScopes: [...allowed], grantedScopes: granted },
    },
  );
}
