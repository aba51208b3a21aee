import { CorpusParseError } from '../errors.ts';
import { recognizePage } from './ocr-page.ts';
import { layoutText } from './page-layout.ts';
import type { TextRecognizer } from './text-recognizer.ts';

export interface ReadImage {
  text: string;
  doubtful: { page: number; text: string; confidence: number }[];
}

/** Reads a picture of a document (a scan, a photographed page, a task list published as an image) by OCR. */
export async function readImage(bytes: Uint8Array, documentName: string, recognizer: TextRecognizer): Promise<ReadImage> {
  let read: Awaited<ReturnType<typeof recognizePage>>;
  try {
    read = await recognizePage(bytes, 1, 1, recognizer);
  } catch (error) {
    throw new CorpusParseError('UNREADABLE_IMAGE', `${documentName} 不是可读取的图片(文件损坏或格式不支持):请另存为 PNG 或 JPEG 后再加入。`, documentName, {
      cause: error,
    });
  }
  const text = layoutText([read.content]);
  if ((text.match(/[\u4e00-\u9fff]/g) ?? []).length < 4) {
    throw new CorpusParseError('NO_TEXT_IN_IMAGE', `${documentName} 中没有识别出文字:请确认图片是文件正文、清晰且方向正确。`, documentName);
  }
  return { text, doubtful: read.doubtful };
}
