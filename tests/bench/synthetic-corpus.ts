import { type Clause, type Corpus, createCorpus, sentences as sentencesOf, toHalfWidth, toSimplified } from '../../corpus/index.ts';
import { prng } from './prng.ts';

/**
 * N clauses of 2–4 real sentences each (the real clauses' sentences of at least 8 characters, recombined by a seeded
 * PRNG), dealt round the real documents so the place filter sees every city. Same seed, same corpus.
 */
export function syntheticCorpus(real: Corpus, count: number, seed: number): Corpus {
  const sentences = real.clauses.flatMap((clause) => sentencesOf(toHalfWidth(toSimplified(clause.text)))).filter((sentence) => sentence.length >= 8);
  const random = prng(seed);
  const documents = real.documents.map((document) => ({ ...document, clauses: [] as Clause[] }));
  for (let index = 0; index < count; index += 1) {
    const parts = 2 + Math.floor(random() * 3);
    let text = '';
    for (let part = 0; part < parts; part += 1) text += sentences[Math.floor(random() * sentences.length)]!;
    const document = documents[index % documents.length]!;
    const label = `${index + 1}.`;
    document.clauses.push({
      clauseId: `${document.docId}:syn${index}`,
      docId: document.docId,
      label,
      citeLabel: label,
      path: [],
      title: null,
      text,
      leadDepartments: [],
      supportDepartments: [],
      departmentNote: null,
      period: null,
      details: {},
    });
  }
  return createCorpus(documents);
}
