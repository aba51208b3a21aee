import type { Context } from 'hono';
import { ConsoleRequestError } from './console-request-error.ts';
import type { ConsoleEnv } from './session-auth.ts';

/** The request's JSON object body, or 400 BAD_JSON. */
export async function jsonBody(context: Context<ConsoleEnv>): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await context.req.json();
  } catch (cause) {
    throw new ConsoleRequestError(400, 'BAD_JSON', '请求内容不是有效的 JSON', { cause });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ConsoleRequestError(400, 'BAD_JSON', '请求内容须为 JSON 对象');
  }
  return body as Record<string, unknown>;
}

/** A trimmed text field ('' when absent), at most `maximum` characters. */
export function text(value: unknown, maximum: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new ConsoleRequestError(400, 'BAD_REQUEST', '字段须为文本');
  const trimmed = value.trim();
  if ([...trimmed].length > maximum) throw new ConsoleRequestError(400, 'TOO_LONG', `内容不能超过 ${maximum} 字`);
  return trimmed;
}

/** A list of texts (department names), each trimmed; 400 when it is not an array of strings. */
export function textList(value: unknown, field: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ConsoleRequestError(400, 'BAD_REQUEST', `${field}须为文本数组`);
  }
  return value.map((item: string) => item.trim()).filter(Boolean);
}

/** A positive integer route parameter, or 404 (an id that cannot exist). */
export function idParameter(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) throw new ConsoleRequestError(404, 'NOT_FOUND', '找不到该记录');
  return id;
}
