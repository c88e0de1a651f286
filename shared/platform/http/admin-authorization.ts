/**
 * Which admin paths a signed-in principal may reach. In Entra mode the token's app roles decide:
 * `Sync.Admin` reaches every path; `Sync.Tenant.<tenantId>` reaches only paths under `tenants/<tenantId>/`.
 * Paths without a tenant (oauth-apps, rate-limit defaults…) act for every tenant, so they need Sync.Admin.
 * The API-key holder is an administrator of everything. Pure: no I/O, no SDK types.
 */
import { AppError } from '../../core/app-error';

export const ADMIN_ROLE = 'Sync.Admin';
export const TENANT_ROLE_PREFIX = 'Sync.Tenant.';

export type AdminAccess = { scope: 'all' } | { scope: 'tenants'; tenantIds: ReadonlySet<string> };

export const FULL_ACCESS: AdminAccess = { scope: 'all' };

/** The access the `roles` claim grants (anything but an array of strings grants nothing). */
export function accessFromRoles(roles: unknown): AdminAccess {
  const values = Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
  if (values.includes(ADMIN_ROLE)) return FULL_ACCESS;
  const tenantIds = values
    .filter((role) => role.startsWith(TENANT_ROLE_PREFIX) && role.length > TENANT_ROLE_PREFIX.length)
    .map((role) => role.slice(TENANT_ROLE_PREFIX.length));
  return { scope: 'tenants', tenantIds: new Set(tenantIds) };
}

/**
 * The tenant a path acts for, split exactly as the router splits it (empty segments dropped), so that
 * "tenants//acme/…" is judged as the acme route it reaches.
 */
export function tenantOfAdminPath(path: string): string | undefined {
  const segments = path.split('/').filter(Boolean);
  return segments[0] === 'tenants' && segments.length > 1 ? segments[1] : undefined;
}

/** Throws 403 (no data, no hint of whether the tenant exists) unless the access reaches the path. */
export function assertAdminAccess(access: AdminAccess, path: string): void {
  if (access.scope === 'all') return;
  const tenantId = tenantOfAdminPath(path);
  if (tenantId === undefined) throw new AppError('forbidden', `this endpoint needs the ${ADMIN_ROLE} app role`);
  if (!access.tenantIds.has(tenantId))
    throw new AppError('forbidden', `this tenant needs the ${ADMIN_ROLE} or ${TENANT_ROLE_PREFIX}<tenantId> app role`);
}
