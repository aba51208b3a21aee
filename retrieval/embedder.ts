/** Turns texts into dense vectors. One interface for the offline default and remote endpoints. */
export interface Embedder {
  /** Identifies the vector space: kind, model and dimension. An index built by another id is rebuilt, never mixed. */
  readonly id: string;
  readonly dimension: number;
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
}

/** Scales a vector to unit length in place (cosine similarity becomes a dot product). */
export function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const length = Math.sqrt(sum) || 1;
  for (let index = 0; index < vector.length; index += 1) vector[index]! /= length;
  return vector;
}
