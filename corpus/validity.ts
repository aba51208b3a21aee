import type { PolicyDocument } from './document.ts';
import { isReplyLetter } from './reply-letter.ts';

export type ValidityStatus = 'in_force' | 'expired' | 'not_yet_in_force' | 'unknown';

const chineseDate = (iso: string) => {
  const [year, month, day] = iso.split('-').map(Number);
  return `${year}年${month}月${day}日`;
};

/** Whether a document is in force on `date` (yyyy-mm-dd), with a sentence saying why. */
export function validityOn(document: PolicyDocument, date: string): { status: ValidityStatus; note: string } {
  const { effectiveFrom, effectiveUntil, statement } = document.validity;
  if (isReplyLetter(document.title)) {
    return { status: 'unknown', note: '本件为答复函,记述的是工作进展,不是可直接申请的政策条款' };
  }
  if (effectiveFrom && date < effectiveFrom) return { status: 'not_yet_in_force', note: `自${chineseDate(effectiveFrom)}起施行,尚未生效` };
  if (effectiveUntil && date > effectiveUntil) {
    return {
      status: 'expired',
      note: `${statement ? `文件载明“${statement.replace(/。$/, '')}”,` : ''}已于${chineseDate(effectiveUntil)}到期,可能已失效或被新政策替代,请向责任单位确认现行政策`,
    };
  }
  if (effectiveUntil) return { status: 'in_force', note: `有效期至${chineseDate(effectiveUntil)}` };
  if (effectiveFrom) return { status: 'in_force', note: `自${chineseDate(effectiveFrom)}起施行,文件未载明有效期` };
  const written = document.dates.written ?? document.dates.published;
  return { status: 'unknown', note: `文件未载明施行日期和有效期${written ? `(成文于${chineseDate(written)})` : ''},请向发文单位确认是否仍然有效` };
}
