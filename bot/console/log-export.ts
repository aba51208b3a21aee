import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { departmentsText } from '../../corpus/index.ts';
import type { ExchangeRecord } from '../store/index.ts';
import { channelLabels, decisionLabels, modeLabels, verdictLabels } from './labels.ts';
import { chinaUtcOffsetMinutes } from './local-day.ts';

const columns = [
  { header: '编号', width: 8 },
  { header: '时间(北京时间)', width: 20 },
  { header: '渠道', width: 10 },
  { header: '会话', width: 14 },
  { header: '用户', width: 14 },
  { header: '问题', width: 40 },
  { header: '回答', width: 60 },
  { header: '方式', width: 10 },
  { header: '回答结论', width: 8 },
  { header: '耗时(毫秒)', width: 10 },
  { header: '引用文件', width: 36 },
  { header: '引用条款', width: 24 },
  { header: '牵头部门', width: 24 },
  { header: '回复专员', width: 10 },
  { header: '审核结论', width: 10 },
  { header: '审核意见', width: 30 },
  { header: '更正答复', width: 40 },
  { header: '审核人', width: 10 },
  { header: '审核时间(北京时间)', width: 20 },
] as const;

/** One row per exchange, in the order of `columns`. */
function exportRow(exchange: ExchangeRecord): (string | number)[] {
  const unique = (values: string[]) => [...new Set(values)].join(';');
  const review = exchange.latestReview;
  return [
    exchange.id,
    beijingTime(exchange.time),
    channelLabels[exchange.channel],
    exchange.chatId,
    exchange.userId,
    exchange.question,
    exchange.answer,
    modeLabels[exchange.mode],
    decisionLabels[exchange.decision],
    exchange.latencyMs,
    unique(exchange.citations.map((citation) => (citation.doc_number ? `${citation.doc_title}(${citation.doc_number})` : citation.doc_title))),
    unique(exchange.citations.map((citation) => [...citation.clause_path, citation.clause_label].join(' › '))),
    unique(exchange.citations.map((citation) => departmentsText(citation, 'cell'))),
    exchange.answeredBy ?? '',
    verdictLabels[review?.verdict ?? 'unreviewed'],
    review?.note ?? '',
    review?.correctedAnswer ?? '',
    review?.reviewer ?? '',
    review ? beijingTime(review.time) : '',
  ];
}

function beijingTime(time: Date): string {
  return new Date(time.getTime() + chinaUtcOffsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Rows per store query while exporting. 500 rows of the real log (questions with quoted answers, ~1.5 KB a row) take
 * 10–20 ms to read and format here, so a chat request arriving during an export waits at most that long for its turn.
 */
export const exportPageSize = 500;

/** Lets pending I/O — a WeCom callback, a Telegram update, another officer's page — run before the next page. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A CSV cell: quoted when it must be, and a cell that starts like a formula prefixed with ' (OWASP CSV injection). */
function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The log as CSV for Excel, streamed: a UTF-8 byte-order mark (without it Excel reads Chinese as GBK), CRLF lines,
 * one store page per chunk. The next page is read only when the reader has taken the last one (pull), so a slow
 * download holds one page in memory, not the log, and the server answers chats between pages.
 */
export function logCsvStream(pages: AsyncIterable<ExchangeRecord[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = pages[Symbol.asyncIterator]();
  const line = (row: (string | number)[]) => `${row.map(csvCell).join(',')}\r\n`;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(`\uFEFF${line(columns.map((column) => column.header))}`));
      },
      async pull(controller) {
        await yieldToEventLoop();
        const next = await iterator.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value.map((exchange) => line(exportRow(exchange))).join('')));
      },
      async cancel() {
        await iterator.return?.();
      },
    },
    { highWaterMark: 1 },
  );
}

/**
 * The log as an Excel workbook, streamed through exceljs' WorkbookWriter (rows committed as they are written, inline
 * strings rather than a shared-string table that would grow with the log). Cells are typed strings, so a question
 * starting with = stays text. The zip goes into a sink that holds back while the download has not taken the last
 * chunk, and the writer reads the next page only when the zip has caught up and the sink is not full.
 */
export function logWorkbookStream(pages: AsyncIterable<ExchangeRecord[]>): ReadableStream<Uint8Array> {
  const download = new DownloadSink();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: download.sink, useStyles: true, useSharedStrings: false });
  workbook.creator = 'policybot';
  const sheet = workbook.addWorksheet('问答记录', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((column) => ({ header: column.header, width: column.width }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.commit();
  const write = async () => {
    for await (const page of pages) {
      if (download.sink.destroyed) return; // the download was cancelled (closed tab): stop reading pages
      for (const exchange of page) {
        const row = sheet.addRow(exportRow(exchange));
        row.alignment = { vertical: 'top', wrapText: true };
        row.commit();
      }
      await yieldToEventLoop();
      // Deflate runs on libuv's thread pool and exceljs hands it the sheet's XML without waiting: on the loaded test
      // machine the writer got 40 pages (50 MB of XML) ahead of a paused download. So wait until the zip has taken this
      // page, then until the download has room.
      await sheetXmlTaken(sheet);
      await download.drained();
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((error: unknown) => download.sink.destroy(error instanceof Error ? error : new Error(String(error))));
  return download.stream;
}

/**
 * Resolves when the zip has taken the sheet XML written so far. exceljs 4 writes a sheet into its own buffer piped into
 * archiver's input stream and ignores that stream's backpressure; its `needDrain` is set while XML waits for deflate.
 * (`_writableState` because archiver's streams come from readable-stream 2, which has no `writableNeedDrain`.)
 */
function sheetXmlTaken(sheet: ReturnType<ExcelJS.stream.xlsx.WorkbookWriter['addWorksheet']>): Promise<unknown> {
  const buffer = (sheet as unknown as { stream?: { pipes?: NodeJS.EventEmitter[] } }).stream;
  const waiting = (buffer?.pipes ?? []).filter((pipe) => (pipe as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain);
  return Promise.all(
    waiting.map(
      (pipe) =>
        new Promise<void>((resolve) => {
          const done = () => {
            pipe.off('drain', done);
            pipe.off('close', done);
            resolve();
          };
          pipe.once('drain', done);
          pipe.once('close', done);
        }),
    ),
  );
}

/**
 * A Node writable (what exceljs writes the zip to) in front of a web stream (what the response sends): a write is
 * acknowledged only once the download has room, so the zip, and the writer behind it, wait for a slow reader.
 */
class DownloadSink {
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private resume: (() => void) | null = null;
  readonly stream: ReadableStream<Uint8Array>;
  readonly sink: Writable;

  constructor() {
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: () => {
          const resume = this.resume;
          this.resume = null;
          resume?.();
        },
        cancel: () => {
          this.sink.destroy();
        },
      },
      new CountQueuingStrategy({ highWaterMark: 1 }),
    );
    this.sink = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((this.controller.desiredSize ?? 0) > 0) callback();
        else this.resume = () => callback();
      },
      final: (callback) => {
        this.controller.close();
        callback();
      },
      destroy: (error, callback) => {
        if (error) {
          try {
            this.controller.error(error);
          } catch {
            /* already closed */
          }
        }
        this.resume?.();
        callback(error);
      },
    });
  }

  /** Resolves when the sink's buffer has room (or it was destroyed). */
  drained(): Promise<void> {
    if (!this.sink.writableNeedDrain || this.sink.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.sink.off('drain', done);
        this.sink.off('close', done);
        resolve();
      };
      this.sink.once('drain', done);
      this.sink.once('close', done);
    });
  }
}
