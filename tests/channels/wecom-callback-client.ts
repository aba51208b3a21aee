import { randomBytes } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { parseFlatXml } from '../../bot/channels/wecom/wecom-xml.ts';

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

/**
 * What WeCom's servers do on the callback URL: encrypt a member's text message, sign it, POST it to a worker, and
 * read the passive reply. The same `msgId` posted twice is a retry.
 */
export class WeComCallbackClient {
  constructor(private readonly credentials: CallbackCredentials) {}

  /** The plaintext XML of a member's text message to the app. */
  messageXml(content: string, from: string, msgId: string): string {
    const { corpId, agentId } = this.credentials;
    return `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>`
      + `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>`
      + `<MsgId>${msgId}</MsgId><AgentID>${agentId}</AgentID></xml>`;
  }

  /** POSTs the message to `baseUrl`/wecom/callback; returns the decrypted passive reply's text, or null for "success". */
  async post(baseUrl: string, content: string, from: string, msgId: string, signal?: AbortSignal): Promise<{ status: number; reply: string | null }> {
    const { token, aesKey, corpId, agentId } = this.credentials;
    const encrypted = encrypt(aesKey, this.messageXml(content, from, msgId), corpId);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(6).toString('hex');
    const query = new URLSearchParams({ msg_signature: getSignature(token, timestamp, nonce, encrypted), timestamp, nonce });
    const body = `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${agentId}]]></AgentID></xml>`;
    const response = await fetch(`${baseUrl}/wecom/callback?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' }, signal });
    const text = await response.text();
    if (response.status !== 200 || text === 'success' || text === '') return { status: response.status, reply: null };
    return { status: response.status, reply: this.open(text) };
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
