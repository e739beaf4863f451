import { charCount } from './chars';
import { COMMAND_WORDS, type CommandWord } from './types';

const MAX_DISTANCE = 2;

/**
 * Damerau–Levenshtein distance, optimal-string-alignment variant: insertions,
 * deletions, substitutions and swaps of two adjacent characters each cost 1 (a
 * substring is not edited twice, which changes nothing for typo-sized distances).
 * Works on code points.
 */
export function editDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  const width = t.length + 1;
  // d[i * width + j] = distance between the first i chars of s and the first j of t.
  const d = new Array<number>((s.length + 1) * width).fill(0);
  const at = (i: number, j: number): number => d[i * width + j] ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i <= s.length; i++) d[i * width] = i;
  for (let j = 0; j <= t.length; j++) d[j] = j;
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      d[i * width + j] = best;
    }
  }
  return at(s.length, t.length);
}

/** The command `word` was probably meant to be (distance ≤ 2), closest first, then table order. */
export function suggestCommand(word: string): CommandWord | undefined {
  const w = word.toLowerCase();
  let best: { word: CommandWord; distance: number } | undefined;
  for (const candidate of COMMAND_WORDS) {
    // Distance is at least the length difference: skip the matrix for long words.
    if (Math.abs(charCount(w) - candidate.length) > MAX_DISTANCE) continue;
    const distance = editDistance(w, candidate);
    if (distance <= MAX_DISTANCE && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  return best?.word;
}
