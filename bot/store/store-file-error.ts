import { PolicyBotError } from '../../corpus/index.ts';

/**
 * The SQLite file at DATABASE_PATH cannot be opened or is not a sound database (damaged, truncated, another kind of
 * file). Thrown at start-up, before anything is written: policybot never starts empty over a file that existed.
 */
export class StoreFileError extends PolicyBotError<'STORE_FILE'> {
  constructor(
    readonly file: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('STORE_FILE', message, options);
  }
}

/** The officer-facing message for SQLite's error `code` on `file`: what is wrong and what to do. */
export function storeFileMessage(file: string, code: string | undefined, detail: string): string {
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return (
      `数据库文件 ${file} 已损坏或不是 SQLite 数据库（${detail}），policybot 未启动，也没有改动它。` +
      `请停止所有 policybot 进程，从备份恢复该文件；或用 sqlite3 "${file}" ".recover" 导出仍可读的数据；` +
      `若确认不再需要其中的记录，把它改名移走后再启动，policybot 会新建空数据库（问答记录、专员账号等从空开始）。`
    );
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return `数据库文件 ${file} 正被另一个进程锁定（${detail}）：请稍后重试，或检查是否有卡住的 policybot 进程。`;
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    return `无法打开数据库文件 ${file}（${detail}）：请检查 DATABASE_PATH 指向的文件及其目录存在且可写。`;
  }
  return `数据库文件 ${file} 无法使用（${detail}），policybot 未启动，也没有改动它：请检查该文件和磁盘，必要时从备份恢复。`;
}
