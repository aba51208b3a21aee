/**
 * The corpus layer: policy documents read, split into clauses, with departments, validity and measure conditions.
 * Other layers import from here only; inside corpus/ files import each other directly. Reading files (.docx, PDF,
 * scans) is its own entry, `corpus/readers/index.ts`, so that what only lists or searches never loads pdfjs or OCR; measure conditions and places likewise
 * (`corpus/measures.ts`).
 */

// Commonly used
export { addDocument, createCorpus, loadCorpus } from './corpus-library.ts';
export type { Corpus } from './corpus-library.ts';
export type { Clause, PolicyDocument, RepealedDocument } from './document.ts';
export { CorpusParseError, PolicyBotError } from './errors.ts';
export { validityOn } from './validity.ts';
export { isReplyLetter } from './reply-letter.ts';
export type { ValidityStatus } from './validity.ts';
export { departmentNamesIn, normalizeDepartment, sameDepartment } from './department-parser.ts';
export { departmentsText, departmentWords } from './department-text.ts';
export type { DepartmentFields } from './department-text.ts';

// Advanced
export { correctionsPath, readCorrections, writeCorrections } from './clause-corrections.ts';
export type { StoredCorrection } from './clause-corrections.ts';
export { withCorpusLock } from './corpus-lock.ts';
export { describeDocument } from './document-summary.ts';
export { PERSON_ADDRESSED, PUBLICATION_NOTE } from './document-parser.ts';
export { projectRoot } from './project-root.ts';
export { toHalfWidth, toSimplified } from './script-converter.ts';
export { SENTENCE_ENDS, sentenceAround, sentences } from './sentences.ts';
