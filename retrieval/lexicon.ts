import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../corpus/index.ts';
import thesaurus from '../corpus/thesaurus.json' with { type: 'json' };

/**
 * The domain lexicon (`corpus/lexicon/*.json`, see its README): groups of one meaning each, with how policies
 * write it (`same`), how enterprises say it (`everyday`), and broader and narrower policy terms. A question word
 * found in a group is searched with the group's other words, each with the credit its relation earns.
 */
export type Relation = 'same' | 'narrower' | 'broader';

/**
 * How much a related word counts for the question word it stands in for. A synonym is weaker evidence than the
 * word itself (0.6, chosen on the development set for the thesaurus); a narrower term (asked 贷款, clause says
 * 首贷) still names the thing asked; a broader one (asked 首贷, clause says 金融支持) only its field.
 */
export const RELATION_CREDIT: Record<Relation, number> = { same: 0.6, narrower: 0.45, broader: 0.2 };

interface Group {
  /** What the group means, in the policies' words (工伤认定): how a refusal names it. */
  meaning?: string;
  same: string[];
  /** The members that are how enterprises say it (算不算工伤), not how a policy writes it. */
  everyday?: Set<string>;
  narrower: string[];
  broader: string[];
  /** Its file names specific matters (a licence, a leave, a filing): a term of it no document mentions is not covered. */
  specific?: boolean;
}

interface LexiconFile {
  /** The file's terms name specific matters, each one a document covers or does not (workplace.json). */
  specific?: boolean;
  /** A group may name a specific matter in a file that otherwise does not (工伤认定 among employment's policy terms). */
  groups: { meaning: string; same: string[]; everyday?: string[]; broader?: string[]; narrower?: string[]; specific?: boolean }[];
}

/** A term of the question and the words it is searched with. */
export interface Expansion {
  /** The lexicon term as it occurs in the question. */
  term: string;
  /** The term is a member of a group of specific matters (see `LexiconFile.specific`). */
  specific: boolean;
  /**
   * The matter in the policies' words: the group's meaning beside an everyday term (算不算工伤 → 工伤认定（算不算工伤）),
   * else the term.
   */
  named: string;
  related: { word: string; relation: Relation }[];
  /** Found spread over the question ("材料还没准备好" for 材料…没准备好): the pieces that say it, without what lies between. */
  pieces?: string[];
}

/**
 * How far apart the pieces of a spread phrase may be ("材料…不全" in "有一两份材料还不全"): a few words of one clause
 * of a sentence, never across a comma. Six characters take "材料还没有准备" (材料 … 没准备) and "货款拖了半年不给"; a
 * longer reach was not measured.
 */
const GAP_CHARS = 6;
/** Where a spread phrase may not reach across: punctuation and spaces. */
const BREAK = /[\s,，。.;；:：!！?？、()（）“”"']/;

/** A member written with "…" ("材料…不全"): its pieces in order, a few characters apart, within one clause. */
interface SpreadTerm {
  pieces: string[];
  entry: { group: Group; as: 'member' | 'narrower' };
}

export class Lexicon {
  /** term → the groups it belongs to, and whether as one of the group's own words or as a narrower one. */
  private readonly index = new Map<string, { group: Group; as: 'member' | 'narrower' }[]>();
  private readonly spread: SpreadTerm[] = [];
  private readonly longest: number;

  constructor(groups: Group[]) {
    let longest = 0;
    const add = (term: string, group: Group, as: 'member' | 'narrower') => {
      if (term.includes('…')) {
        const pieces = term.split('…').filter((piece) => piece.length > 0);
        if (pieces.length >= 2) this.spread.push({ pieces, entry: { group, as } });
        return;
      }
      if ([...term].length < 2) return;
      const entries = this.index.get(term) ?? [];
      entries.push({ group, as });
      this.index.set(term, entries);
      longest = Math.max(longest, term.length);
    };
    for (const group of groups) {
      for (const term of group.same) add(term, group, 'member');
      for (const term of group.narrower) add(term, group, 'narrower');
    }
    this.longest = longest;
  }

  get size(): number {
    return this.index.size;
  }

  /**
   * The lexicon terms of a (simplified, half-width) text, longest first where they overlap ("稳岗返还" rather than
   * "返还"), each with its related words. A term found as a group's own word brings the group's other words as
   * synonyms and its narrower terms as narrower; a term found as a narrower word brings the group's words as broader.
   */
  expand(text: string): Expansion[] {
    const found: { start: number; end: number; term: string; spread?: boolean }[] = [];
    for (let start = 0; start < text.length; start += 1) {
      for (let end = Math.min(text.length, start + this.longest); end >= start + 2; end -= 1) {
        const term = text.slice(start, end);
        if (this.index.has(term)) {
          found.push({ start, end, term });
          break;
        }
      }
    }
    // A spread phrase is found as the stretch of the question it spans ("材料还没准备好"), which then stands for it.
    // (A stretch that is itself a term of the index is read as that term: its entries, no pieces.)
    const spans = new Map<string, { entries: { group: Group; as: 'member' | 'narrower' }[]; pieces: Set<string> }>();
    for (const { pieces, entry } of this.spread) {
      const span = spreadIn(text, pieces);
      if (!span) continue;
      const term = text.slice(span.start, span.end);
      found.push({ ...span, term, spread: true });
      const spanned = spans.get(term) ?? { entries: [], pieces: new Set<string>() };
      spanned.entries.push(entry);
      for (const piece of pieces) spanned.pieces.add(piece);
      spans.set(term, spanned);
    }
    const spreadOnly = (term: string) => !this.index.has(term) && spans.has(term);
    // Keep a term only when no longer term covers it — a spread phrase covers none: the words it spans keep their own
    // meanings (货款 of 货款…不给 is still 账款).
    const kept = found.filter(
      (candidate) =>
        !found.some(
          (other) =>
            other !== candidate && !other.spread && other.start <= candidate.start && other.end >= candidate.end && other.term.length > candidate.term.length,
        ),
    );
    const expansions = new Map<string, Map<string, Relation>>();
    const specific = new Set<string>();
    const named = new Map<string, string>();
    for (const { term } of kept) {
      const related = expansions.get(term) ?? new Map<string, Relation>();
      const put = (word: string, relation: Relation) => {
        if (word === term) return;
        const previous = related.get(word);
        if (!previous || RELATION_CREDIT[relation] > RELATION_CREDIT[previous]) related.set(word, relation);
      };
      for (const { group, as } of this.index.get(term) ?? spans.get(term)?.entries ?? []) {
        if (as === 'member') {
          // A stretch of the story is not the name of a matter: never refused as one no document mentions.
          if (group.specific && !spreadOnly(term)) specific.add(term);
          // Beside the asker's own words, so the asker still recognises what was asked.
          if (group.meaning && (spreadOnly(term) || group.everyday?.has(term)) && !named.has(term)) named.set(term, `${group.meaning}（${term}）`);
          for (const word of group.same) put(word, 'same');
          for (const word of group.narrower) put(word, 'narrower');
          for (const word of group.broader) put(word, 'broader');
        } else {
          for (const word of group.same) put(word, 'broader');
        }
      }
      expansions.set(term, related);
    }
    return [...expansions].map(([term, related]) => ({
      term,
      specific: specific.has(term),
      named: named.get(term) ?? term,
      related: [...related].map(([word, relation]) => ({ word, relation })),
      ...(spreadOnly(term) ? { pieces: [...spans.get(term)!.pieces] } : {}),
    }));
  }
}

/** Where the pieces occur in order, each at most GAP_CHARS after the one before, with no break between. */
function spreadIn(text: string, pieces: string[]): { start: number; end: number } | null {
  for (let start = text.indexOf(pieces[0]!); start >= 0; start = text.indexOf(pieces[0]!, start + 1)) {
    let end = start + pieces[0]!.length;
    let matched = true;
    for (const piece of pieces.slice(1)) {
      const at = text.indexOf(piece, end);
      if (at < 0 || at - end > GAP_CHARS || BREAK.test(text.slice(end, at))) {
        matched = false;
        break;
      }
      end = at + piece.length;
    }
    if (matched) return { start, end };
  }
  return null;
}

/** Reads every domain file of the lexicon folder, plus the thesaurus groups (all one meaning each). */
export function loadLexicon(directory = path.join(projectRoot, 'corpus', 'lexicon')): Lexicon {
  const groups: Group[] = thesaurus.groups.map((group) => ({ same: group, narrower: [], broader: [], specific: false }));
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const data = JSON.parse(readFileSync(path.join(directory, file), 'utf8')) as LexiconFile;
    for (const group of data.groups) {
      groups.push({
        meaning: group.meaning,
        same: [...group.same, ...(group.everyday ?? [])],
        everyday: new Set(group.everyday ?? []),
        narrower: group.narrower ?? [],
        broader: group.broader ?? [],
        specific: group.specific ?? data.specific === true,
      });
    }
  }
  return new Lexicon(groups);
}

let shared: Lexicon | null = null;
/** The lexicon shipped with policybot, loaded once. */
export function defaultLexicon(): Lexicon {
  shared ??= loadLexicon();
  return shared;
}
