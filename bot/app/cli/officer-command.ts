import { PolicyBotError } from '../../../corpus/index.ts';
import { addOfficer } from '../../console/index.ts';
import { openStore } from '../../store/index.ts';
import type { CommandInput } from './command.ts';
import { promptPassword } from './terminal-input.ts';

/** `policybot officer add NAME [--admin]`: creates a console officer, or resets its password. */
export async function officerAddCommand({ config, values, positionals }: CommandInput<{ admin?: boolean }>): Promise<number> {
  const name = positionals[0];
  if (!name) {
    throw new PolicyBotError('USAGE', '用法：policybot officer add 账号名');
  }
  const password = await promptPassword(`请输入 ${name} 的密码：`);
  const store = await openStore(config);
  try {
    const outcome = await addOfficer(store, name, password, { role: values.admin ? 'admin' : 'officer' });
    console.log(outcome === 'created' ? `已创建服务专员账号 ${name}` : `已重设服务专员账号 ${name} 的密码`);
  } finally {
    await store.close();
  }
  return 0;
}
