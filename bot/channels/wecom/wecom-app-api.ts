import { ChannelError } from '../channel-error.ts';

export const DEFAULT_WECOM_API_BASE = 'https://qyapi.weixin.qq.com';
/** Refresh the access token this long before WeCom says it expires. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;
const REQUEST_TIMEOUT_MS = 10_000;
/** errcodes meaning the access token is invalid or expired: fetch a new one and retry once. */
const STALE_TOKEN_CODES = new Set([40001, 40014, 42001]);
/**
 * errcodes worth trying again later (WeCom's global error codes): -1 系统繁忙, 45009 / 45033 call-frequency and
 * concurrency limits, and the token codes (a token refreshed meanwhile by another worker). Any other errcode — an
 * unknown userid (60111), a member outside the app's visible range (81013), a bad agentid (40056), an address not on
 * the app's trusted IP list (60020) — will be refused again until someone changes the configuration.
 */
const TRANSIENT_CODES = new Set([-1, 45009, 45033, ...STALE_TOKEN_CODES]);

/**
 * WeCom's server API answered with an error (`errcode`). `retryable` is false when trying again will not cure it
 * (an unknown userid, a member outside the app's range): the outbox then gives the entry up at once.
 * Apart from `WeComHttpError`, as grammY keeps `GrammyError` (the API said no) apart from `HttpError` (no answer).
 */
export class WeComApiError extends ChannelError {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly errcode?: number,
  ) {
    super(message, { code: 'CHANNEL_SEND', channel: 'wecom-callback' });
  }
}

/** WeCom's server API could not be reached, timed out, or answered HTTP ≥ 400: always worth trying again. */
export class WeComHttpError extends ChannelError {
  readonly retryable = true;
  constructor(
    message: string,
    readonly status?: number,
    options: { cause?: unknown } = {},
  ) {
    super(message, { code: 'CHANNEL_HTTP', channel: 'wecom-callback', cause: options.cause });
  }
}

export interface WeComAppApiOptions {
  /** https://qyapi.weixin.qq.com, or a local server in tests. */
  apiBase?: string;
  corpId: string;
  corpSecret: string;
  agentId: string;
  now?: () => number;
}

/** The two calls of WeCom's server API the callback channel needs: an access token and message/send. */
export interface WeComAppApi {
  /** Sends a text message (at most 2048 bytes; WeCom cuts the rest) from the app to one member. */
  sendText(toUser: string, content: string): Promise<void>;
}

interface ApiResult {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  invaliduser?: string;
}

/** A WeCom server API client with a cached access token (GET /cgi-bin/gettoken, POST /cgi-bin/message/send). */
export function createWeComAppApi(options: WeComAppApiOptions): WeComAppApi {
  const apiBase = (options.apiBase ?? DEFAULT_WECOM_API_BASE).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const call = async (path: string, init?: RequestInit): Promise<ApiResult> => {
    let response: Response;
    try {
      response = await fetch(`${apiBase}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw new WeComHttpError(`WeCom API unreachable: ${(error as Error).message}`, undefined, { cause: error });
    }
    if (!response.ok) throw new WeComHttpError(`WeCom API answered HTTP ${response.status}`, response.status);
    try {
      return (await response.json()) as ApiResult;
    } catch (error) {
      throw new WeComHttpError('WeCom API answered with a body that is not JSON', response.status, { cause: error });
    }
  };

  const fetchToken = async (): Promise<string> => {
    const query = new URLSearchParams({ corpid: options.corpId, corpsecret: options.corpSecret });
    const result = await call(`/cgi-bin/gettoken?${query}`);
    if (result.errcode || !result.access_token) {
      throw new ChannelError(`WeCom refused an access token (errcode ${result.errcode}): check WECOM_CORP_ID and WECOM_CORP_SECRET`, {
        code: 'CHANNEL_AUTH',
        channel: 'wecom-callback',
      });
    }
    cached = { token: result.access_token, expiresAt: now() + (result.expires_in ?? 7200) * 1000 - TOKEN_MARGIN_MS };
    return result.access_token;
  };

  const accessToken = (): Promise<string> => {
    if (cached && cached.expiresAt > now()) return Promise.resolve(cached.token);
    // One request for concurrent senders.
    pending ??= fetchToken().finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const send = async (body: object, retried: boolean): Promise<void> => {
    const token = await accessToken();
    const result = await call(`/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    // errcode 0 with the recipient listed as invalid: nothing was delivered to them, and nothing will be.
    if (!result.errcode && result.invaliduser) throw new WeComApiError(`WeCom message/send: invalid user ${result.invaliduser}`, false);
    if (!result.errcode) return;
    if (!retried && STALE_TOKEN_CODES.has(result.errcode)) {
      cached = undefined;
      return send(body, true);
    }
    throw new WeComApiError(
      `WeCom message/send failed (errcode ${result.errcode}: ${result.errmsg ?? ''})`,
      TRANSIENT_CODES.has(result.errcode),
      result.errcode,
    );
  };

  return {
    sendText(toUser, content) {
      return send({ touser: toUser, msgtype: 'text', agentid: Number(options.agentId), text: { content } }, false);
    },
  };
}
