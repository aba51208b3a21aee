import { PolicyBotError } from '../../corpus/errors.ts';
import type { Config } from '../config.ts';
import type { Store } from '../store.ts';
import { hashPassword } from './password-hash.ts';

export const minimumPasswordLength = 10;

/**
 * Creates a console officer, or sets a new password for an existing one. Backs `policybot officer add NAME`.
 * @throws PolicyBotError OFFICER_INVALID when the name is empty or the password too short.
 * @example await addOfficer(store, '王芳', 'a long passphrase') // → 'created'
 */
export async function addOfficer(store: Store, name: string, password: string, now = new Date()): Promise<'created' | 'updated'> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 64 || /[\s:]/.test(trimmed)) {
    throw new PolicyBotError('OFFICER_INVALID', `账号名“${name}”须为 1–64 个字符，不含空格和“:”`);
  }
  if (password.length < minimumPasswordLength) {
    throw new PolicyBotError('OFFICER_INVALID', `${trimmed} 的密码至少需要 ${minimumPasswordLength} 个字符`);
  }
  return store.saveOfficer({ name: trimmed, passwordHash: await hashPassword(password), created: now });
}

/** Creates the officer named in POLICYBOT_OFFICER unless that name exists (an existing password is never overwritten). */
export async function seedOfficer(store: Store, seed: Config['officerSeed'], now = new Date()): Promise<void> {
  if (seed && !(await store.findOfficer(seed.name.trim()))) await addOfficer(store, seed.name, seed.password, now);
}
