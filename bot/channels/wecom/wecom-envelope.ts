import { randomBytes, timingSafeEqual } from 'node:crypto';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { PolicyBotError } from '../../../corpus/index.ts';
import { buildFlatXml } from './wecom-xml.ts';

/** The callback credentials from the WeCom admin console. */
export interface CallbackCredentials {
  token: string;
  encodingAesKey: string;
  /** CorpID for a self-built app; "" for a smart bot's JSON callback. */
  receiverId: string;
}

/** Why an envelope was refused: a bad signature or a foreign receiver mean "not from WeCom" (403), the rest is malformed (400). */
export class EnvelopeError extends PolicyBotError<EnvelopeErrorCode> {
  constructor(readonly reason: 'signature' | 'receiver' | 'malformed') {
    super(`ENVELOPE_${reason.toUpperCase() as Uppercase<typeof reason>}`, `WeCom callback envelope refused: ${reason}`);
  }
}

export type EnvelopeErrorCode = 'ENVELOPE_SIGNATURE' | 'ENVELOPE_RECEIVER' | 'ENVELOPE_MALFORMED';

/**
 * Verifies and decrypts one encrypted value (a message's <Encrypt> or the URL check's echostr).
 * `decrypt` of @wecom/crypto checks neither the signature nor the receiver id (docs/im-protocols.md): both are checked here,
 * the signature first and in constant time.
 */
export function openEnvelope(credentials: CallbackCredentials, envelope: { signature: string; timestamp: string; nonce: string; encrypted: string }): string {
  const expected = getSignature(credentials.token, envelope.timestamp, envelope.nonce, envelope.encrypted);
  if (!sameText(expected, envelope.signature)) throw new EnvelopeError('signature');
  let opened: { message: string; id: string };
  try {
    opened = decrypt(credentials.encodingAesKey, envelope.encrypted);
  } catch {
    throw new EnvelopeError('malformed');
  }
  if (opened.id !== credentials.receiverId) throw new EnvelopeError('receiver');
  return opened.message;
}

/** Encrypts a plaintext reply into the `<xml><Encrypt/><MsgSignature/><TimeStamp/><Nonce/></xml>` WeCom expects. */
export function sealEnvelope(credentials: CallbackCredentials, plaintext: string, timestamp = String(Math.floor(Date.now() / 1000))): string {
  const nonce = randomBytes(8).toString('hex');
  const encrypted = encrypt(credentials.encodingAesKey, plaintext, credentials.receiverId);
  const signature = getSignature(credentials.token, timestamp, nonce, encrypted);
  return buildFlatXml({ Encrypt: encrypted, MsgSignature: signature, TimeStamp: Number(timestamp), Nonce: nonce });
}

function sameText(left: string, right: string): boolean {
  const a = Buffer.from(left, 'utf8');
  const b = Buffer.from(right, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
