import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { parseFlatXml } from '../../../../bot/channels/wecom/wecom-xml.ts';

export interface CallbackCredentials {
  token: string;
  aesKey: string;
  corpId: string;
  agentId: string;
}

/** Fresh credentials as a WeCom admin would configure them (EncodingAESKey: 43 characters of base64). */
export function callbackCredentials(): CallbackCredentials {
  return { token: 'QDG6eK3rMRmF', aesKey: randomBytes(32).toString('base64').replace(/=+$/, ''), corpId: 'wx5823bf96d3bd56c7', agentId: '1000002' };
}

/** The environment that points a worker's callback mode at these credentials and a message/send API. */
export function callbackEnvironment(credentials: CallbackCredentials, corpSecret: string, apiBase: string): Record<string, string> {
  return {
    WECOM_TOKEN: credentials.token,
    WECOM_ENCODING_AES_KEY: credentials.aesKey,
    WECOM_CORP_ID: credentials.corpId,
    WECOM_AGENT_ID: credentials.agentId,
    WECOM_CORP_SECRET: corpSecret,
    WECOM_API_BASE: apiBase,
  };
}

/** One signed callback request: the path with its query, and the XML body. */
export interface CapturedCallback {
  path: string;
  body: string;
}

/**
 * What WeCom's servers do on the callback URL: encrypt a member's text message, sign it, POST it to a worker, and
 * read the passive reply. The same `msgId` posted twice is a retry.
 */
export class WeComCallbackClient {
  constructor(private readonly credentials: CallbackCredentials) {}

  /** The plaintext XML of a member's text message to the app. */
  messageXml(content: string, from: string, msgId: string): string {
    const { corpId, agentId } = this.credentials;
    return (
      `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
      `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>` +
      `<MsgId>${msgId}</MsgId><AgentID>${agentId}</AgentID></xml>`
    );
  }

  /**
   * The request WeCom would POST for a message, as an eavesdropper could capture it: the signed query and the body.
   * `secondsAgo` backdates the signed timestamp.
   */
  capture(content: string, from: string, msgId: string, options: { secondsAgo?: number } = {}): CapturedCallback {
    const { token, aesKey, corpId, agentId } = this.credentials;
    const encrypted = encrypt(aesKey, this.messageXml(content, from, msgId), corpId);
    const timestamp = String(Math.floor(Date.now() / 1000) - (options.secondsAgo ?? 0));
    const nonce = randomBytes(6).toString('hex');
    const query = new URLSearchParams({ msg_signature: getSignature(token, timestamp, nonce, encrypted), timestamp, nonce });
    const body = `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${agentId}]]></AgentID></xml>`;
    return { path: `/wecom/callback?${query}`, body };
  }

  /** POSTs a captured request to `baseUrl`; returns the decrypted passive reply's text, or null for "success" or a refusal. */
  async send(baseUrl: string, captured: CapturedCallback, signal?: AbortSignal): Promise<{ status: number; reply: string | null }> {
    const response = await fetch(`${baseUrl}${captured.path}`, { method: 'POST', body: captured.body, headers: { 'content-type': 'text/xml' }, signal });
    const text = await response.text();
    if (response.status !== 200 || text === 'success' || text === '') return { status: response.status, reply: null };
    return { status: response.status, reply: this.open(text) };
  }

  /** POSTs the message to `baseUrl`/wecom/callback; returns the decrypted passive reply's text, or null for "success". */
  async post(baseUrl: string, content: string, from: string, msgId: string, signal?: AbortSignal): Promise<{ status: number; reply: string | null }> {
    return this.send(baseUrl, this.capture(content, from, msgId), signal);
  }

  /** Opens a passive reply as WeCom would: checks its signature and receiver, decrypts, returns the Content. */
  open(xml: string): string {
    const { token, aesKey, corpId } = this.credentials;
    const reply = parseFlatXml(xml);
    if (reply.MsgSignature !== getSignature(token, reply.TimeStamp!, reply.Nonce!, reply.Encrypt!)) throw new Error('passive reply signature is wrong');
    const { message, id } = decrypt(aesKey, reply.Encrypt!);
    if (id !== corpId) throw new Error(`passive reply is for ${id}, not ${corpId}`);
    return parseFlatXml(message).Content ?? '';
  }
}
