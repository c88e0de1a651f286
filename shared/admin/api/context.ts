/**
 * What every admin route receives: the request as the host hands it over, the signed-in principal and the services.
 * Kept apart from admin-api.ts (which imports every route module) so that route modules import these types without
 * importing the router that registers them.
 */
import type { HttpResponseInit } from '@azure/functions';
import type { Router } from '../../platform/http/router';
import type { AppServices } from '../../app/services';
import type { AdminPrincipal } from '../../platform/http/admin-auth';
import type { TraceContext } from '../../platform/observability/correlation';
import type { Logger } from '../../platform/observability/logger';

export interface AdminRequest {
  method: string;
  /** The path after /api/admin/, e.g. "tenants/t1/integrations". */
  path: string;
  header(name: string): string | null;
  query: URLSearchParams;
  /** Parsed JSON body (validated by each route). */
  body(): Promise<unknown>;
}

export interface AdminContext {
  services: AppServices;
  request: AdminRequest;
  principal: AdminPrincipal;
  trace: TraceContext;
  logger: Logger;
}

export type AdminRouter = Router<AdminContext, HttpResponseInit>;
