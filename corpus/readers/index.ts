/**
 * Reading a document file (.txt, .html, .docx, .pdf, images through OCR) into text. Apart from `corpus/index.ts`
 * because it loads the heavy readers; `corpus add` and the console's upload use it.
 */

// Entry
export { MAX_FILE_BYTES } from './document-reader.ts';
