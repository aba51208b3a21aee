import { expect } from 'vitest';

/** A signed-in JSON client for one console server, as the page uses it. */
export interface ConsoleClient {
  cookie: string;
  get<T = any>(path: string): Promise<{ status: number; body: T }>;
  post<T = any>(path: string, json?: unknown): Promise<{ status: number; body: T }>;
}

export async function signedIn(url: string, name: string, password: string): Promise<ConsoleClient> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  expect(response.status).toBe(200);
  const cookie = (response.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
  const call = async (path: string, init: RequestInit) => {
    const answer = await fetch(`${url}${path}`, { ...init, headers: { cookie, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
    const text = await answer.text();
    return { status: answer.status, body: text.startsWith('{') ? JSON.parse(text) : text };
  };
  return {
    cookie,
    get: (path) => call(path, { method: 'GET' }),
    post: (path, json = {}) => call(path, { method: 'POST', body: JSON.stringify(json) }),
  };
}
