import * as OpenCC from 'opencc-js';

const traditionalToSimplified = OpenCC.Converter({ from: 't', to: 'cn' });

/** Traditional → simplified Chinese (OpenCC's maintained tables); other text passes through. */
export function toSimplified(text: string): string {
  return traditionalToSimplified(text);
}

/** Full-width ASCII forms (Ａ１（，) → half-width, ideographic space → space. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/** The form all matching happens in: simplified, half-width, no whitespace. */
export function matchingForm(text: string): string {
  return toHalfWidth(toSimplified(text)).replace(/\s+/g, '');
}
