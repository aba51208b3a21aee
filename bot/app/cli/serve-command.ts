import { startServer, stopOnSignals } from '../serve.ts';
import type { CommandInput } from './command.ts';
import { chatLoop } from './terminal-input.ts';

/** `policybot serve` (npm start): the console and every configured channel; on a terminal, a local chat too. */
export async function serveCommand({ config }: CommandInput<object>): Promise<number> {
  const server = await startServer(config);
  console.log(`\n政策通 policybot 已启动 — 服务专员控制台：${server.url}`);
  if (server.firstOfficer)
    console.log(
      `首次启动已创建控制台账号 ${server.firstOfficer.name}，密码 ${server.firstOfficer.password}（仅显示这一次；可用 npx policybot officer add admin 重设）`,
    );
  stopOnSignals(server);
  if (process.stdin.isTTY) {
    console.log('本地对话：直接输入问题回车即可（Ctrl+C 退出）。回答与各渠道一样记入服务专员控制台的问答记录。\n');
    await chatLoop(server.desk, 'console');
  } else await new Promise(() => {});
  return 0;
}
