/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen } from '@testing-library/react';
import { SessionProvider, SignInGate } from './session';
import { useEffect, useState } from 'react';
import { api, credentialHeaders } from '../api/client';
import { installFakeApi } from '../../test-support/render';

afterEach(() => sessionStorage.clear());

// A token's shape (header.payload.signature, base64url); the API, not the UI, checks what it says.
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl';

/** A signed-in page's call, made through the session's client. */
function Probe() {
  const [answered, setAnswered] = useState(false);
  useEffect(() => {
    void api.get('tenants/demo/integrations?probe').then(() => setAnswered(true));
  }, []);
  return <p>{answered ? 'probe answered' : 'probing'}</p>;
}

describe('credentialHeaders', () => {
  it('sends an Entra ID access token as a bearer token, and anything else as the API key', () => {
    expect(credentialHeaders(TOKEN)).toEqual({ authorization: `Bearer ${TOKEN}` });
    expect(credentialHeaders('local-admin-key-123')).toEqual({ 'x-api-key': 'local-admin-key-123' });
    // Something dotted that is not a token stays a key.
    expect(credentialHeaders('a.b.c')).toEqual({ 'x-api-key': 'a.b.c' });
  });
});

describe('sign-in', () => {
  it('signs in with an access token (checked by the API with the Authorization header), then uses it for every call', async () => {
    const seen = installFakeApi(() => ({ body: [] }));
    render(
      <SessionProvider>
        <SignInGate>
          <Probe />
        </SignInGate>
      </SessionProvider>,
    );
    fireEvent.change(screen.getByLabelText('Admin API key or access token'), { target: { value: ` ${TOKEN} ` } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await screen.findByText('probe answered');
    expect(seen.map((request) => [request.path, request.authorization, request.apiKey])).toEqual([
      ['tenants/demo/integrations', `Bearer ${TOKEN}`, null],
      ['tenants/demo/integrations?probe', `Bearer ${TOKEN}`, null],
    ]);
  });

  it('says so when the API refuses the token', async () => {
    installFakeApi(() => ({ status: 401, body: { error: { code: 'unauthorized', message: 'invalid bearer token' } } }));
    render(
      <SessionProvider>
        <SignInGate>
          <p>signed in</p>
        </SignInGate>
      </SessionProvider>,
    );
    fireEvent.change(screen.getByLabelText('Admin API key or access token'), { target: { value: TOKEN } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The API refused this key or token.');
    expect(screen.queryByText('signed in')).toBeNull();
  });
});
