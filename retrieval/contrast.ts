import contrastData from '../corpus/contrasts.json' with { type: 'json' };

/**
 * Neighbouring measures of one kind told apart by a word: 小微企业 / 中型企业, 国家级 / 省级, 博士 / 博士后
 * (`corpus/contrasts.json`). A question naming one member is not answered by a sentence naming only others of the
 * same set — the documents state the figure for a neighbour, not for what is asked.
 */
interface ContrastSet {
  /** Longest first, so 博士后 is read before 博士 and 小型微利企业 before 小型. */
  terms: [term: string, atoms: string[]][];
}

const SETS: ContrastSet[] = contrastData.sets.map((set) => ({
  terms: set.terms.map(({ term, covers }): [string, string[]] => [term, covers]).sort(([a], [b]) => b.length - a.length),
}));

/** "不是博士后", "不算小微", "非国家级": the asker says what they are not. */
const NEGATED_BEFORE = /(不是|不算|不属于|非|并非|没评上|不够)$/;

/** For each contrast set the text names a member of, the atoms named (a set the text does not touch is absent). */
export type ContrastAtoms = Map<number, Set<string>>;

export function contrastAtoms(text: string, options: { skipNegated?: boolean } = {}): ContrastAtoms {
  const named: ContrastAtoms = new Map();
  for (const [index, set] of SETS.entries()) {
    let rest = text;
    for (const [term, atoms] of set.terms) {
      let at = rest.indexOf(term);
      while (at >= 0) {
        if (!(options.skipNegated && NEGATED_BEFORE.test(rest.slice(Math.max(0, at - 3), at)))) {
          const found = named.get(index) ?? new Set<string>();
          for (const atom of atoms) found.add(atom);
          named.set(index, found);
        }
        // Masked, so a shorter term inside it (博士 in 博士后) is not read again.
        rest = `${rest.slice(0, at)}${'　'.repeat(term.length)}${rest.slice(at + term.length)}`;
        at = rest.indexOf(term, at + term.length);
      }
    }
  }
  return named;
}

/**
 * The sentence names members of a set the question names, and none that covers what the question names. The
 * sentence's own words decide ("对在站博士后…每人每年发放15万元" under a heading about 博士 and 博士后); its
 * clause's heading only when the sentence names no member of that set ("给予50%补贴" under "支持小微企业…").
 */
export function contradicts(asked: ContrastAtoms, sentence: string, context = ''): boolean {
  if (asked.size === 0) return false;
  const own = contrastAtoms(sentence);
  let around: ContrastAtoms | null = null;
  for (const [index, atoms] of asked) {
    const said = own.get(index) ?? (around ??= contrastAtoms(context)).get(index);
    if (said && ![...atoms].some((atom) => said.has(atom))) return true;
  }
  return false;
}
