/**
 * Component-test helpers: render a page signed in, inside a router at a given URL, against a fake admin API
 * that answers from a handler (jsdom has no fetch). The handler sees what the page sends, so tests can check
 * the request as well as the rendering.
 */
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { API_KEY_STORAGE } from '../src/api/client';
import { SessionProvider } from '../src/state/session';

export interface FakeRequest {
  method: string;
  /** Path after /api/admin/, query included. */
  path: string;
  body: unknown;
  apiKey: string | null;
  /** The Authorization header (an access token as `Bearer …`). */
  authorization: string | null;
}
export type FakeAnswer = { status?: number; body?: unknown };
export type FakeApi = (request: FakeRequest) => FakeAnswer | Promise<FakeAnswer>;

/** Replace fetch with the handler; returns every request seen. */
export function installFakeApi(handler: FakeApi): FakeRequest[] {
  const seen: FakeRequest[] = [];
  globalThis.fetch = (async (input: string, init: RequestInit = {}) => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const request: FakeRequest = {
      method: init.method ?? 'GET',
      path: String(input).replace(/^\/api\/admin\//, ''),
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      apiKey: headers['x-api-key'] ?? null,
      authorization: headers.authorization ?? null,
    };
    seen.push(request);
    const answer = await handler(request);
    const status = answer.status ?? 200;
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return {
      ok: status >= 200 && status < 300,
      status,
      statusText: '',
      json: async () => JSON.parse(text),
      text: async () => text,
    };
  }) as unknown as typeof fetch;
  return seen;
}

export function renderSignedIn(
  page: ReactElement,
  options: { url: string; route?: string; apiKey?: string },
): RenderResult {
  sessionStorage.setItem(API_KEY_STORAGE, options.apiKey ?? 'test-key');
  return render(
    <SessionProvider>
      <MemoryRouter initialEntries={[options.url]}>
        <Routes>
          <Route path={options.route ?? options.url} element={page} />
          <Route path="*" element={<p>elsewhere</p>} />
        </Routes>
      </MemoryRouter>
    </SessionProvider>,
  );
}

/** An error body as the API sends it. */
export function apiError(status: number, code: string, message: string, target?: string): FakeAnswer {
  return { status, body: { error: { code, message, ...(target ? { target } : {}) } } };
}
