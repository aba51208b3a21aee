import { randomBytes } from 'node:crypto';
import { PolicyBotError } from '../../corpus/index.ts';
import type { Config } from '../app/config.ts';
import type { OfficerRole, Store } from '../store/index.ts';
import { hashPassword } from './password-hash.ts';

export const minimumPasswordLength = 10;

export interface AddOfficerOptions {
  /** The role of a new officer; an existing officer keeps theirs. Default `officer`. */
  role?: OfficerRole;
  now?: Date;
}

/**
 * Creates a console officer, or sets a new password for an existing one. Backs `policybot officer add NAME`.
 * @throws PolicyBotError OFFICER_INVALID when the name is empty or the password too short.
 * @example await addOfficer(store, '王芳', 'a long passphrase', { role: 'admin' }) // → 'created'
 */
export async function addOfficer(store: Store, name: string, password: string, options: AddOfficerOptions = {}): Promise<'created' | 'updated'> {
  const trimmed = validOfficerName(name);
  checkPassword(trimmed, password);
  return store.saveOfficer({
    name: trimmed,
    passwordHash: await hashPassword(password),
    created: options.now ?? new Date(),
    role: options.role ?? 'officer',
  });
}

/** The name as stored, or OFFICER_INVALID naming the rule it breaks. */
export function validOfficerName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 64 || /[\s:]/.test(trimmed)) {
    throw new PolicyBotError('OFFICER_INVALID', `账号名“${name}”须为 1–64 个字符，不含空格和“:”`);
  }
  return trimmed;
}

export function checkPassword(name: string, password: string): void {
  if (password.length < minimumPasswordLength) {
    throw new PolicyBotError('OFFICER_INVALID', `${name} 的密码至少需要 ${minimumPasswordLength} 个字符`);
  }
}

/** A password an admin hands over once (new officer, reset): 15 random base64url characters, about 90 bits. */
export function temporaryPassword(): string {
  return randomBytes(11).toString('base64url').slice(0, 15);
}

/** Creates the officer named in POLICYBOT_OFFICER, as an admin, unless that name exists (an existing password is never overwritten). */
export async function seedOfficer(store: Store, seed: Config['officerSeed'], now = new Date()): Promise<void> {
  if (seed && !(await store.findOfficer(seed.name.trim()))) await addOfficer(store, seed.name, seed.password, { role: 'admin', now });
}
