/** A line of text read from an image: its text, confidence (0–1) and box in image pixels. */
export interface RecognizedLine {
  text: string;
  confidence: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Reads the text in an image (PNG or JPEG bytes), line by line, top to bottom. */
export interface TextRecognizer {
  recognize(image: Uint8Array): Promise<RecognizedLine[]>;
}

/** Lines read with less confidence than this are listed for an officer to check. */
export const LOW_CONFIDENCE = 0.9;
