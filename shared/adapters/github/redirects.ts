/**
 * GitHub's permanent redirects for reads: a renamed repository or a transferred issue answers 301 with the new
 * address (Location, and the same URL as `url` in the body). The outbound rule never follows redirects, so the
 * adapter follows them here, explicitly and only to the API origin it was configured with (the token goes along).
 */
import { AppError } from '../../core/app-error';
import type { ProviderHttpClient } from '../http/provider-request';
import type { ProviderRequest, ProviderResponse } from '../http/types';

/** GitHub documents 301 (permanent), 302 and 307 (temporary) for the REST API. */
const REDIRECTS = [301, 302, 307];
/** A rename followed by a transfer is two hops; more is a loop. */
const MAX_HOPS = 3;

export interface FollowedResponse<T> extends ProviderResponse<T> {
  /** True when the answer came from another address than the one asked (the record or repository moved). */
  moved: boolean;
}

/** Sends a GET and follows same-origin redirects; a redirect elsewhere or a loop is a validation error. */
export async function readFollowingMoves<T>(
  http: ProviderHttpClient,
  baseUrl: string,
  request: ProviderRequest,
): Promise<FollowedResponse<T>> {
  const origin = new URL(baseUrl).origin;
  let current = request;
  for (let hop = 0; ; hop += 1) {
    const response = await http.request<T>({
      ...current,
      acceptStatuses: [...(current.acceptStatuses ?? []), ...REDIRECTS],
    });
    if (!REDIRECTS.includes(response.status)) return { ...response, moved: hop > 0 };
    const body = response.body as { url?: unknown } | undefined;
    const location = response.headers.get('location') ?? (typeof body?.url === 'string' ? body.url : undefined);
    if (!location)
      throw new AppError('validation', `${request.operation}: GitHub answered ${response.status} without a location`, {
        target: request.operation,
      });
    const target = new URL(location, baseUrl);
    if (target.origin !== origin) {
      throw new AppError('validation', `${request.operation}: GitHub redirected outside the configured API host`, {
        target: request.operation,
        details: { providerStatus: response.status },
      });
    }
    if (hop >= MAX_HOPS)
      throw new AppError('validation', `${request.operation}: more than ${MAX_HOPS} redirects`, {
        target: request.operation,
      });
    // The Location carries its own query (GitHub keeps per_page, since, page): send it as is.
    current = { ...current, path: target.toString(), query: undefined };
  }
}
