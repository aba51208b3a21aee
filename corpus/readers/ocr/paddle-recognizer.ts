import Ocr from '@gutenye/ocr-node';
import type { RecognizedLine, TextRecognizer } from '../text-recognizer.ts';

interface OcrLine {
  text: string;
  mean: number;
  box?: number[][];
}
interface OcrEngine {
  detect(image: Buffer): Promise<OcrLine[]>;
}

let engine: Promise<OcrEngine> | null = null;

/**
 * PaddleOCR's Chinese PP-OCRv4 detection and recognition models, as @gutenye/ocr-node ships them inside the
 * npm package (nothing is downloaded), run by onnxruntime-node on one thread: the machine's other core stays free.
 */
export class PaddleRecognizer implements TextRecognizer {
  async recognize(image: Uint8Array): Promise<RecognizedLine[]> {
    engine ??= Ocr.create({ onnxOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } }) as Promise<OcrEngine>;
    const lines = await (await engine).detect(Buffer.from(image));
    return lines
      .filter((line) => line.text.trim().length > 0 && line.box)
      .map((line) => {
        const xs = line.box!.map((point) => point[0]!);
        const ys = line.box!.map((point) => point[1]!);
        return { text: line.text, confidence: line.mean, x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys) };
      })
      .sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
  }
}
