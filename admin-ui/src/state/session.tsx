/**
 * Who is signed in and which tenant they look at. The admin API key is entered once and kept in
 * sessionStorage (gone when the tab closes); the tenant is kept in localStorage. The gate below shows the
 * sign-in form until a key the API accepts is given, and again after a 401.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { API_KEY_STORAGE, configureClient, getWithKey, isApiError } from '../api/client';

const TENANT_STORAGE = 'ise.tenantId';
export const DEFAULT_TENANT = 'demo';

interface SessionState {
  apiKey: string | undefined;
  signIn(apiKey: string): void;
  signOut(): void;
  tenantId: string;
  setTenantId(tenantId: string): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

function read(storage: () => Storage, key: string): string | undefined {
  try {
    return storage().getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

function write(storage: () => Storage, key: string, value: string | undefined): void {
  try {
    if (value === undefined) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // Storage can be disabled (private mode): the session then lasts as long as the page.
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [apiKey, setApiKey] = useState(() => read(() => sessionStorage, API_KEY_STORAGE));
  const [tenantId, setTenant] = useState(() => read(() => localStorage, TENANT_STORAGE) ?? DEFAULT_TENANT);

  const signIn = useCallback((key: string) => {
    write(() => sessionStorage, API_KEY_STORAGE, key);
    setApiKey(key);
  }, []);
  const signOut = useCallback(() => {
    write(() => sessionStorage, API_KEY_STORAGE, undefined);
    setApiKey(undefined);
  }, []);
  const setTenantId = useCallback((next: string) => {
    write(() => localStorage, TENANT_STORAGE, next);
    setTenant(next);
  }, []);

  // The client reads the key at call time from storage (set before any page renders), so a request made
  // after sign-out carries none; a 401 anywhere signs out and shows the form again.
  useEffect(
    () => configureClient({ apiKey: () => read(() => sessionStorage, API_KEY_STORAGE), onUnauthorized: signOut }),
    [signOut],
  );

  const value = useMemo(
    () => ({ apiKey, signIn, signOut, tenantId, setTenantId }),
    [apiKey, signIn, signOut, tenantId, setTenantId],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function useTenant(): { tenantId: string; setTenantId(tenantId: string): void } {
  const { tenantId, setTenantId } = useSession();
  return { tenantId, setTenantId };
}

/** Children render only with an API key; without one, the sign-in form. */
export function SignInGate({ children }: { children: ReactNode }) {
  const { apiKey } = useSession();
  return apiKey ? <>{children}</> : <SignInForm />;
}

function SignInForm() {
  const { signIn, tenantId } = useSession();
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string>();
  const [checking, setChecking] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = key.trim();
    if (!candidate) return setProblem('Enter the admin API key or an access token.');
    setChecking(true);
    setProblem(undefined);
    try {
      // Check the key against the API before keeping it, so a typo is caught here rather than on every page.
      await getWithKey(`tenants/${encodeURIComponent(tenantId)}/integrations`, candidate);
      signIn(candidate);
    } catch (error) {
      setProblem(
        isApiError(error) && error.status === 401
          ? 'The API refused this key or token.'
          : isApiError(error)
            ? error.message
            : String(error),
      );
      setChecking(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <form onSubmit={submit} aria-labelledby="sign-in-title" className="card">
        <h1 id="sign-in-title">Sign in to the sync admin</h1>
        <p className="muted">
          Paste the admin API key. Locally, <code>npm start</code> prints the file it is stored in (
          <code>.local/admin-api-key</code> by default).
        </p>
        <p className="muted">
          Where the API signs in with Entra ID (<code>ADMIN_AUTH_MODE=entra</code>, as in Azure), paste an access token
          for its audience instead, e.g. from <code>az account get-access-token --resource &lt;ENTRA_AUDIENCE&gt;</code>
          . It is kept for this tab only; when it expires the API refuses it and you are asked again.
        </p>
        <label htmlFor="api-key">Admin API key or access token</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="current-password"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'api-key-error' : undefined}
        />
        {problem && (
          <p id="api-key-error" role="alert" className="field-error">
            {problem}
          </p>
        )}
        <button type="submit" className="primary" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
