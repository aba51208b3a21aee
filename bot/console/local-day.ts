import { ConsoleRequestError } from './console-request-error.ts';

/**
 * Days in the console are China Standard Time (UTC+8, no daylight saving): officers and enterprises
 * both think of "yesterday's questions" in Beijing time, wherever the server runs.
 */
export const chinaUtcOffsetMinutes = 480;
const offsetMs = chinaUtcOffsetMinutes * 60_000;

/** The instant a YYYY-MM-DD day starts in China. */
export function dayStart(day: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const start = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) - offsetMs) : undefined;
  if (!start || Number.isNaN(start.getTime()) || localDay(start) !== day) {
    throw new ConsoleRequestError(400, 'BAD_DATE', `日期“${day}”无效,应为 YYYY-MM-DD`);
  }
  return start;
}

/** The day after `day`, as YYYY-MM-DD. */
export function nextDay(day: string): string {
  return localDay(new Date(dayStart(day).getTime() + 86_400_000));
}

/** The YYYY-MM-DD day an instant falls on in China. */
export function localDay(time: Date): string {
  return new Date(time.getTime() + offsetMs).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length < 400; day = nextDay(day)) days.push(day);
  return days;
}
