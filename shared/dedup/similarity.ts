/**
 * String similarity in [0, 1] for fuzzy matching: Jaro-Winkler (good for short names and typos) and
 * trigram Dice (good for longer text and reordered words). Both are symmetric by construction (the inputs
 * are put in a fixed order first) and score identical strings 1.
 */

function ordered(a: string, b: string): [string, string] {
  return a <= b ? [a, b] : [b, a];
}

function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Uint8Array(a.length);
  const bMatched = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a.charCodeAt(i) !== b.charCodeAt(j)) continue;
      aMatched[i] = 1;
      bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  return (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
}

/** Jaro-Winkler with the usual prefix scale 0.1 over at most 4 common leading characters. */
export function jaroWinkler(first: string, second: string): number {
  const [a, b] = ordered(first, second);
  const similarity = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return Math.min(1, similarity + prefix * 0.1 * (1 - similarity));
}

function trigrams(text: string): Map<string, number> {
  const padded = `  ${text} `;
  const grams = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const gram = padded.slice(i, i + 3);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

/** Dice coefficient over character trigrams (multiset), with padding so short strings still have grams. */
export function trigramDice(first: string, second: string): number {
  if (first === second) return 1;
  const [a, b] = ordered(first, second);
  const gramsA = trigrams(a);
  const gramsB = trigrams(b);
  let shared = 0;
  let total = 0;
  for (const [gram, count] of gramsA) {
    shared += Math.min(count, gramsB.get(gram) ?? 0);
    total += count;
  }
  for (const count of gramsB.values()) total += count;
  return total === 0 ? 1 : (2 * shared) / total;
}

export function sortTokens(text: string): string {
  return text.split(' ').filter(Boolean).sort().join(' ');
}

/**
 * Name similarity over already-normalised names: the better of the plain and the token-sorted comparison,
 * so "smith john" and "john smith" match.
 */
export function nameSimilarity(a: string, b: string, algorithm: 'jaro_winkler' | 'trigram' = 'jaro_winkler'): number {
  const score = algorithm === 'trigram' ? trigramDice : jaroWinkler;
  const plain = score(a, b);
  if (plain === 1) return 1;
  return Math.max(plain, score(sortTokens(a), sortTokens(b)));
}
