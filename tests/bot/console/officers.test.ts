import { describe, expect, it } from 'vitest';
import { addOfficer } from '../../../bot/console/officers.ts';
import { verifyPassword } from '../../../bot/console/password-hash.ts';
import { openSqliteStore } from '../../../bot/store/sqlite-store.ts';

describe('addOfficer', () => {
  it('stores a salted scrypt hash that verifies only the right password, and resets it on a second add', async () => {
    const store = openSqliteStore(':memory:');
    expect(await addOfficer(store, ' 王芳 ', 'first passphrase')).toBe('created');
    const first = (await store.findOfficer('王芳'))?.passwordHash ?? '';
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{86}$/);
    expect(await verifyPassword('first passphrase', first)).toBe(true);
    expect(await verifyPassword('First passphrase', first)).toBe(false);

    expect(await addOfficer(store, '王芳', 'second passphrase')).toBe('updated');
    const second = (await store.findOfficer('王芳'))?.passwordHash ?? '';
    expect(await verifyPassword('first passphrase', second)).toBe(false);
    expect(await verifyPassword('second passphrase', second)).toBe(true);
    // Same password, different salt.
    await addOfficer(store, '李强', 'second passphrase');
    expect((await store.findOfficer('李强'))?.passwordHash).not.toBe(second);
  });

  it('says what to fix for a short password or a bad name', async () => {
    const store = openSqliteStore(':memory:');
    await expect(addOfficer(store, '王芳', 'short')).rejects.toMatchObject({ code: 'OFFICER_INVALID', message: /至少需要 10 个字符/ });
    await expect(addOfficer(store, 'wang fang', 'long enough passphrase')).rejects.toMatchObject({ code: 'OFFICER_INVALID' });
    expect(await store.hasOfficers()).toBe(false);
  });
});
