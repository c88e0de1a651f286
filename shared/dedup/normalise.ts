/**
 * Normalisation for matching: emails, phone numbers, names and company names. Accents are folded and
 * punctuation dropped so "Zoë O'Brien" and "zoe obrien" meet; company suffixes (Inc, GmbH, Ltd…) are dropped
 * so "Acme, Inc." and "ACME GmbH" meet.
 */

// Letters NFD does not decompose into a base letter plus a mark.
const SPECIAL_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  þ: 'th',
  ı: 'i',
};
const SPECIAL = /[ßæÆœŒøØłŁđĐþı]/g;

export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(SPECIAL, (letter) => SPECIAL_LETTERS[letter] ?? letter);
}

/** Lowercase, accents folded, apostrophes removed, other punctuation as spaces, spaces collapsed. */
export function normaliseText(text: string): string {
  return foldAccents(text)
    .toLowerCase()
    .replace(/['’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export const normaliseName = normaliseText;

const COMPANY_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'llc',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'bv',
  'nv',
  'plc',
  'pty',
  'oy',
  'ab',
  'spa',
  'srl',
  'kg',
  'lp',
  'llp',
  'kk',
  'ug',
  'se',
]);

/** A company name without legal-form suffixes and a leading "the". */
export function normaliseCompany(text: string): string {
  const tokens = normaliseText(text).split(' ').filter(Boolean);
  if (tokens[0] === 'the' && tokens.length > 1) tokens.shift();
  while (tokens.length > 1 && COMPANY_SUFFIXES.has(tokens[tokens.length - 1]!)) tokens.pop();
  return tokens.join(' ');
}

/** Lowercased and trimmed; "+tag" removed from the local part only when asked (not every mail host treats it so). */
export function normaliseEmail(text: string, stripPlusTags = false): string | undefined {
  const email = text.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return undefined;
  let local = email.slice(0, at);
  if (stripPlusTags) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  return `${local}@${email.slice(at + 1)}`;
}

/**
 * Digits with a leading "+" when the country is known: "+49 (0)30 1234-567" → "+49301234567". A national
 * number ("030 1234567") takes the default country code with its trunk zero dropped. Too short → undefined.
 */
export function normalisePhone(text: string, defaultCountryCode?: string): string | undefined {
  // "+49 (0)30…": the bracketed trunk zero is not dialled from abroad.
  const trimmed = text.trim().replace(/\(0\)/g, '');
  let digits = trimmed.replace(/\D/g, '');
  let international = trimmed.startsWith('+');
  if (!international && digits.startsWith('00')) {
    digits = digits.slice(2);
    international = true;
  }
  if (digits.length < 7 || digits.length > 15) return undefined;
  if (international) return `+${digits}`;
  if (defaultCountryCode) return `+${defaultCountryCode.replace(/\D/g, '')}${digits.replace(/^0/, '')}`;
  return digits;
}
