/**
 * The admin UI's shell: skip link, header (tenant, sign-out), navigation and the routes under the mount the
 * server put in <base> (/admin locally, /api/admin/ui in Azure; see base-path.ts). Pages
 * load lazily so one page's code never slows another's first paint.
 */
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { BrowserRouter, Link, matchPath, Navigate, NavLink, Route, Routes, useLocation } from 'react-router';
import { SessionProvider, SignInGate, useSession, useTenant } from './state/session';
import { Loading } from './components/Loading';

const IntegrationsPage = lazy(() => import('./pages/IntegrationsPage'));
const SyncSettingsPage = lazy(() => import('./pages/SyncSettingsPage'));
const RunsPage = lazy(() => import('./pages/RunsPage'));
const ConflictsPage = lazy(() => import('./pages/ConflictsPage'));
const WebhooksPage = lazy(() => import('./pages/WebhooksPage'));
const RateLimitsPage = lazy(() => import('./pages/RateLimitsPage'));
const HealthPage = lazy(() => import('./pages/HealthPage'));
const ActivityPage = lazy(() => import('./pages/ActivityPage'));
const ConnectionSettingsPage = lazy(() => import('./pages/ConnectionSettingsPage'));
const ProviderAppsPage = lazy(() => import('./pages/ProviderAppsPage'));
const NotificationsPage = lazy(() => import('./pages/NotificationsPage'));
const RecordsPage = lazy(() => import('./pages/RecordsPage'));
const RecordPage = lazy(() => import('./pages/RecordPage'));
const ChartsPage = lazy(() => import('./pages/ChartsPage'));
const DeliveriesPage = lazy(() => import('./pages/DeliveriesPage'));

export const NAV_ITEMS = [
  { to: '/integrations', label: 'Integrations' },
  { to: '/runs', label: 'Runs' },
  { to: '/records', label: 'Records' },
  { to: '/conflicts', label: 'Conflicts' },
  { to: '/webhooks', label: 'Webhooks' },
  { to: '/deliveries', label: 'Deliveries' },
  { to: '/rate-limits', label: 'Rate limits' },
  { to: '/health', label: 'Health' },
  { to: '/activity', label: 'Activity' },
  { to: '/notifications', label: 'Notifications' },
  { to: '/provider-apps', label: 'Provider apps' },
  { to: '/charts', label: 'Charts' },
] as const;

/**
 * The nav item a path belongs to. By prefix, except a run's detail page, which lives under
 * /integrations/:id/runs/:runId but is part of "Runs".
 */
export function navItemFor(pathname: string): string | undefined {
  if (matchPath('/integrations/:integrationId/runs/:runId', pathname)) return '/runs';
  return NAV_ITEMS.find((item) => pathname === item.to || pathname.startsWith(`${item.to}/`))?.to;
}

function MainNav() {
  const active = navItemFor(useLocation().pathname);
  return (
    <nav className="app-nav" aria-label="Main">
      <ul>
        {NAV_ITEMS.map((item) => (
          <li key={item.to}>
            <Link
              to={item.to}
              className={item.to === active ? 'active' : undefined}
              aria-current={item.to === active ? 'page' : undefined}
            >
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function TenantSwitcher() {
  const { tenantId, setTenantId } = useTenant();
  const [draft, setDraft] = useState(tenantId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = draft.trim();
    if (next) setTenantId(next);
  };
  return (
    <form className="tenant-switcher" onSubmit={submit} role="search" aria-label="Tenant">
      <label htmlFor="tenant-id">Tenant</label>
      <input
        id="tenant-id"
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        pattern="[A-Za-z0-9][A-Za-z0-9_\-]{0,63}"
        title="1-64 letters, digits, - or _"
        size={12}
      />
      <button type="submit" disabled={draft.trim() === tenantId}>
        Switch
      </button>
    </form>
  );
}

function Shell() {
  const { signOut } = useSession();
  const { tenantId } = useTenant();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">Sync admin</div>
        <TenantSwitcher />
        <button type="button" className="sign-out" onClick={signOut}>
          Sign out
        </button>
      </header>
      <MainNav />
      {/* Keyed by tenant: switching tenants starts every page afresh. */}
      <main id="main" className="app-main" tabIndex={-1} key={tenantId}>
        <Suspense fallback={<Loading label="Loading page…" />}>
          <Routes>
            <Route path="/" element={<Navigate to="/integrations" replace />} />
            <Route path="/integrations" element={<IntegrationsPage />} />
            <Route path="/integrations/:integrationId/settings" element={<SyncSettingsPage />} />
            <Route path="/runs" element={<RunsPage />} />
            <Route path="/integrations/:integrationId/runs/:runId" element={<RunsPage />} />
            <Route path="/conflicts" element={<ConflictsPage />} />
            <Route path="/webhooks" element={<WebhooksPage />} />
            <Route path="/rate-limits" element={<RateLimitsPage />} />
            <Route path="/health" element={<HealthPage />} />
            <Route path="/activity" element={<ActivityPage />} />
            <Route path="/integrations/:integrationId/connection" element={<ConnectionSettingsPage />} />
            <Route path="/notifications" element={<NotificationsPage />} />
            <Route path="/provider-apps" element={<ProviderAppsPage />} />
            <Route path="/records" element={<RecordsPage />} />
            <Route path="/records/:shardId" element={<RecordPage />} />
            <Route path="/charts" element={<ChartsPage />} />
            <Route path="/deliveries" element={<DeliveriesPage />} />
            <Route path="/deliveries/:integrationId/:deliveryId" element={<DeliveriesPage />} />
            <Route path="*" element={<NotFound />} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}

function NotFound() {
  return (
    <section aria-labelledby="not-found">
      <h1 id="not-found">Page not found</h1>
      <p>
        <NavLink to="/integrations">Go to integrations</NavLink>
      </p>
    </section>
  );
}

export function App({ basename }: { basename: string }) {
  return (
    <SessionProvider>
      <BrowserRouter basename={basename}>
        <SignInGate>
          <Shell />
        </SignInGate>
      </BrowserRouter>
    </SessionProvider>
  );
}
