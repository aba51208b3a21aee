import { parseArgs, type ParseArgsConfig } from 'node:util';
import { PolicyBotError } from '../../corpus/index.ts';
import type { CommandInput } from './cli/command.ts';
import { loadConfig } from './config.ts';
import { configSecrets, redactText } from '../logger.ts';

/*
 * The `policybot` command. This file holds only the command table and the flag parsing; each command's module is
 * imported when that command runs, so `policybot corpus list` loads the corpus parser and nothing of the server,
 * the channels' SDKs, exceljs or LangChain (cold start 0.3 s instead of 1.3 s, README "Commands").
 */

type Options = NonNullable<ParseArgsConfig['options']>;
/** The flag values parseArgs yields for an option table. */
type FlagValues<O extends Options> = ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values'];

interface Command<O extends Options> {
  /** The usage lines, as `policybot --help` lists them and `policybot COMMAND --help` shows them. */
  usage: string;
  options: O;
  /** Most positionals the command takes (a question may be several words: no limit). */
  maxPositionals?: number;
  run(input: CommandInput<FlagValues<O>>): Promise<number>;
}

function command<const O extends Options>(spec: Command<O>): Command<O> {
  return spec;
}

const help = { help: { type: 'boolean', short: 'h' } } as const;
const json = { json: { type: 'boolean' } } as const;

const commands = {
  serve: command({
    usage: 'policybot serve                          启动服务专员控制台和已配置的聊天渠道（即 npm start）',
    options: { ...help },
    maxPositionals: 0,
    run: async (input) => (await import('./cli/serve-command.ts')).serveCommand(input),
  }),
  ask: command({
    usage: 'policybot ask [--json] ["问题"]            回答一个问题；不给问题时从标准输入逐行读取，每行各自一次对话',
    options: { ...help, ...json },
    run: async (input) => (await import('./cli/ask-command.ts')).askCommand(input),
  }),
  chat: command({
    usage: 'policybot chat                           在终端中对话（保留上下文）',
    options: { ...help },
    maxPositionals: 0,
    run: async (input) => (await import('./cli/ask-command.ts')).chatCommand(input),
  }),
  search: command({
    usage:
      'policybot search [--json] [-k N] [--region R] [--doc ID] [--in-force DATE] [--department D] ["问题"]\n' +
      '                                         检索条款；不给问题时从标准输入逐行读取',
    options: {
      ...help,
      ...json,
      k: { type: 'string', short: 'k' },
      region: { type: 'string' },
      doc: { type: 'string' },
      'in-force': { type: 'string' },
      department: { type: 'string' },
    },
    run: async (input) => (await import('./cli/search-command.ts')).searchCommand(input),
  }),
  'corpus list': command({
    usage: 'policybot corpus list                    列出已收录的文件',
    options: { ...help },
    maxPositionals: 0,
    run: async (input) => (await import('./cli/corpus-command.ts')).corpusListCommand(input),
  }),
  'corpus show': command({
    usage: 'policybot corpus show [DOC [CLAUSE]] [--json]\n                                         显示文件信息和条款',
    options: { ...help, ...json },
    maxPositionals: 2,
    run: async (input) => (await import('./cli/corpus-command.ts')).corpusShowCommand(input),
  }),
  'corpus add': command({
    usage:
      'policybot corpus add FILE [--title T] [--issuer I] [--region R] [--doc-number N] [--attach-to DOC]\n' +
      '                                         收录一份文件（.txt / .html / .docx / .pdf / .png / .jpg），或作为 DOC 的附件',
    options: {
      ...help,
      title: { type: 'string' },
      issuer: { type: 'string' },
      region: { type: 'string' },
      'doc-number': { type: 'string' },
      'attach-to': { type: 'string' },
    },
    maxPositionals: 1,
    run: async (input) => (await import('./cli/corpus-command.ts')).corpusAddCommand(input),
  }),
  match: command({
    usage:
      'policybot match [--json] [--include-expired] ["企业情况" | \'{"text":…,"region":…,"employees":…}\']\n' +
      '                                         按企业情况匹配政策措施；不给时从标准输入逐行读取',
    options: { ...help, ...json, 'include-expired': { type: 'boolean' } },
    run: async (input) => (await import('./cli/match-command.ts')).matchCommand(input),
  }),
  'officer add': command({
    usage: 'policybot officer add NAME [--admin]     创建服务专员控制台账号（按提示输入密码）；--admin 为管理员，可管理专员账号和政策文件',
    options: { ...help, admin: { type: 'boolean' } },
    maxPositionals: 1,
    run: async (input) => (await import('./cli/officer-command.ts')).officerAddCommand(input),
  }),
  log: command({
    usage:
      'policybot log [--json] [--since DATE]    从已配置的存储中导出问答记录，按时间先后\n' +
      '                                         （DATE：YYYY-MM-DD 表示北京时间的一天，或 ISO 时间）',
    options: { ...help, ...json, since: { type: 'string' } },
    maxPositionals: 0,
    run: async (input) => (await import('./cli/log-command.ts')).logCommand(input),
  }),
};

type CommandName = keyof typeof commands;

const USAGE =
  `policybot — 政策文件问答助手\n\n${Object.values(commands)
    .map((spec) => `  ${spec.usage}`)
    .join('\n')}\n\n` + '  每个命令都可加 --help 查看用法；问题以 - 开头时，写在 -- 之后（policybot ask -- "-5%…"）。';

/** Commands with subcommands, and the one run when none is given. */
const groups: Record<string, { subcommands: string[]; fallback?: string; usage: string }> = {
  corpus: { subcommands: ['list', 'show', 'add'], fallback: 'list', usage: '可用 list、show、add' },
  officer: { subcommands: ['add'], usage: '用法：policybot officer add 账号名' },
};

/** The configured secrets, or none when the configuration itself is what failed. */
function configuredSecrets(): string[] {
  try {
    return configSecrets(loadConfig());
  } catch {
    return [];
  }
}

/** Runs one command; returns the exit code (0 done, 1 refused or failed, 2 the command line was wrong). */
export async function main(args: string[]): Promise<number> {
  try {
    const [first, ...rest] = args;
    if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
      console.log(USAGE);
      return first === undefined ? 1 : 0;
    }
    const resolved = resolveCommand(first, rest);
    if ('groupUsage' in resolved) {
      console.log(`用法：\n${resolved.groupUsage}`);
      return 0;
    }
    return await runCommand(commands[resolved.name] as Command<Options>, resolved.name, resolved.args);
  } catch (error) {
    if (error instanceof PolicyBotError) {
      // An endpoint's error can hold the key it was sent (or a URL with credentials): printed redacted.
      console.error(redactText(`policybot: ${error.message}`, configuredSecrets()));
      return error.code === 'USAGE' ? 2 : 1;
    }
    throw error;
  }
}

/** The command a command line names, or (`policybot corpus --help`) the usage of a group's subcommands. */
function resolveCommand(first: string, rest: string[]): { name: CommandName; args: string[] } | { groupUsage: string } {
  const group = groups[first];
  if (!group) {
    if (first in commands) return { name: first as CommandName, args: rest };
    throw new PolicyBotError('USAGE', `未知命令“${first}”。\n\n${USAGE}`);
  }
  const [sub, ...subArgs] = rest;
  if (sub === undefined || sub.startsWith('-')) {
    if (sub === '--help' || sub === '-h') {
      return {
        groupUsage: Object.entries(commands)
          .filter(([key]) => key.startsWith(`${first} `))
          .map(([, spec]) => `  ${spec.usage}`)
          .join('\n'),
      };
    }
    if (!group.fallback) throw new PolicyBotError('USAGE', group.usage);
    return { name: `${first} ${group.fallback}` as CommandName, args: rest };
  }
  if (!group.subcommands.includes(sub)) {
    throw new PolicyBotError('USAGE', group.fallback ? `未知的 ${first} 子命令“${sub}”：${group.usage}。` : group.usage);
  }
  return { name: `${first} ${sub}` as CommandName, args: subArgs };
}

async function runCommand(spec: Command<Options>, name: string, args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(spec, name, args);
  if (values.help) {
    console.log(`用法：\n  ${spec.usage}\n\n${optionList(spec.options)}`);
    return 0;
  }
  if (spec.maxPositionals !== undefined && positionals.length > spec.maxPositionals) {
    const extra = positionals
      .slice(spec.maxPositionals)
      .map((value) => `“${value}”`)
      .join('、');
    throw new PolicyBotError('USAGE', `${name} 多出了参数 ${extra}。\n用法：${spec.usage}`);
  }
  return spec.run({ config: loadConfig(), values, positionals });
}

/** Flags by node:util parseArgs, its English errors turned into what to type instead. */
function parseFlags(spec: Command<Options>, name: string, args: string[]) {
  try {
    return parseArgs({ args, options: spec.options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    const flag = /'(-[^' ,]+)(?:, (--[^' ]+))?/.exec(message);
    const shown = flag?.[2] ?? flag?.[1] ?? '';
    const hint = `用 policybot ${name} --help 查看用法。`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      throw new PolicyBotError('USAGE', `${name} 没有选项 ${shown}（${optionNames(spec.options)}）；问题以 - 开头时，写在 -- 之后。${hint}`, { cause: error });
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const takesValue = spec.options[shown.replace(/^-+/, '')]?.type === 'string' || /argument missing|ambiguous/.test(message);
      throw new PolicyBotError('USAGE', takesValue ? `选项 ${shown} 后面需要一个值。${hint}` : `选项 ${shown} 不带值。${hint}`, { cause: error });
    }
    throw new PolicyBotError('USAGE', `${message}。${hint}`, { cause: error });
  }
}

function optionNames(options: Options): string {
  const names = Object.entries(options)
    .filter(([option]) => option !== 'help')
    .map(([option, config]) => (option.length === 1 ? `-${option}` : `--${option}`) + (config.type === 'string' ? ' 值' : ''));
  return names.length > 0 ? `可用：${names.join('、')}` : '此命令不带选项';
}

function optionList(options: Options): string {
  return `选项：${optionNames(options).replace(/^可用：/, '')}；-h / --help 显示本说明`;
}
