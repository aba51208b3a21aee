import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Who sent a request and over what, as far as the console can trust it. */
export interface RequestOrigin {
  /** The client's address: the peer's, or from X-Forwarded-For when the peer is a trusted proxy. */
  address: string;
  /** Reached over HTTPS: the request URL, or X-Forwarded-Proto from a trusted proxy (nginx terminating TLS). */
  https: boolean;
}

/**
 * Behind nginx every connection comes from nginx, so the sign-in limit would count all officers as one address and
 * the session cookie would never be marked Secure. X-Forwarded-For / X-Forwarded-Proto are believed only when the
 * connection itself comes from one of `trustedProxies` (TRUSTED_PROXIES); from anyone else they are ignored, since a
 * client can send any header. In X-Forwarded-For the client is the rightmost address that is not a trusted proxy.
 */
export function requestOrigin(context: Context, trustedProxies: readonly string[]): RequestOrigin {
  let peer = 'unknown';
  try {
    peer = normalise(getConnInfo(context).remote.address ?? 'unknown');
  } catch {
    // Not served by @hono/node-server (app.request in tests): no peer address.
  }
  const direct = { address: peer, https: new URL(context.req.url).protocol === 'https:' };
  const trusted = new Set(trustedProxies.map(normalise));
  if (!trusted.has(peer)) return direct;
  const chain = (context.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((part) => normalise(part.trim()))
    .filter(Boolean);
  let address = peer;
  for (let index = chain.length - 1; index >= 0; index -= 1) {
    address = chain[index]!;
    if (!trusted.has(address)) break;
  }
  const proto = (context.req.header('x-forwarded-proto') ?? '').split(',').at(-1)?.trim().toLowerCase();
  return { address, https: proto ? proto === 'https' : direct.https };
}

/** `::ffff:127.0.0.1` is 127.0.0.1 (an IPv4 peer on a dual-stack socket). */
function normalise(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
