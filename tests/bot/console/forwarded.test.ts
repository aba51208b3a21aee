import { afterEach, describe, expect, it } from 'vitest';
import { officerName, officerPassword, startConsoleServer, type ConsoleServer } from './console-server.ts';

/** The console behind nginx: forwarded headers count only when the connection comes from a trusted proxy. */
describe('console behind a reverse proxy', () => {
  let server: ConsoleServer;
  afterEach(async () => server?.close());

  const signIn = (password: string, headers: Record<string, string>) =>
    fetch(`${server.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ name: officerName, password }),
    });

  it('counts failed sign-ins per client address from X-Forwarded-For and marks the cookie Secure under HTTPS, from a trusted proxy', async () => {
    server = await startConsoleServer({ trustedProxies: ['127.0.0.1'] });
    const from = (client: string) => ({ 'x-forwarded-for': `${client}, 127.0.0.1`, 'x-forwarded-proto': 'https' });
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await signIn(`wrong-guess-${attempt}`, from('203.0.113.5'))).status).toBe(401);
    expect((await signIn(officerPassword, from('203.0.113.5'))).status).toBe(429);
    // Another officer's address behind the same nginx is not locked out.
    const other = await signIn(officerPassword, from('203.0.113.6'));
    expect(other.status).toBe(200);
    expect(other.headers.getSetCookie()[0]).toMatch(/; Secure/);
    expect(await server.store.countFailedSignInAttempts(officerName, '203.0.113.5', new Date(0))).toBe(5);
  });

  it('locks an account guessed at from many addresses, and a success from one address starts its count again', async () => {
    server = await startConsoleServer({ trustedProxies: ['127.0.0.1'] });
    const from = (client: string) => ({ 'x-forwarded-for': client });
    // The officer mistypes four times, then signs in: the next typo is the first again, not the fifth.
    for (let attempt = 0; attempt < 4; attempt += 1) expect((await signIn(`typo-${attempt}`, from('203.0.113.5'))).status).toBe(401);
    expect((await signIn(officerPassword, from('203.0.113.5'))).status).toBe(200);
    for (let attempt = 0; attempt < 4; attempt += 1) expect((await signIn(`typo-again-${attempt}`, from('203.0.113.5'))).status).toBe(401);
    expect((await signIn(officerPassword, from('203.0.113.5'))).status).toBe(200);
    // A guesser rotating addresses, four guesses each (never five from one): with the 8 typos, 20 failures in the quarter hour.
    for (let attempt = 0; attempt < 12; attempt += 1) {
      expect((await signIn(`guess-${attempt}`, from(`198.51.100.${Math.floor(attempt / 4)}`))).status).toBe(401);
    }
    const locked = await signIn(officerPassword, from('198.51.100.200'));
    expect(locked.status).toBe(429);
    expect(((await locked.json()) as { error: { message: string } }).error.message).toBe('该账号密码错误次数过多,已暂时锁定,请 15 分钟后再试');
    // The officer too, from the usual address, until the guesses are a quarter hour old.
    expect((await signIn(officerPassword, from('203.0.113.5'))).status).toBe(429);
    server.now.value = new Date(server.now.value.getTime() + 15 * 60_000 + 1);
    expect((await signIn(officerPassword, from('203.0.113.5'))).status).toBe(200);
  });

  it('ignores forwarded headers from a connection that is not a trusted proxy', async () => {
    server = await startConsoleServer();
    // A client rotating forged X-Forwarded-For values is still one address.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await signIn(`wrong-guess-${attempt}`, { 'x-forwarded-for': `198.51.100.${attempt}` })).status).toBe(401);
    }
    expect((await signIn(officerPassword, { 'x-forwarded-for': '198.51.100.99' })).status).toBe(429);
    expect(await server.store.countFailedSignInAttempts(officerName, '127.0.0.1', new Date(0))).toBe(5);
    server.now.value = new Date(server.now.value.getTime() + 16 * 60_000);
    const signedIn = await signIn(officerPassword, { 'x-forwarded-proto': 'https' });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.getSetCookie()[0]).not.toMatch(/; Secure/);
  });
});
