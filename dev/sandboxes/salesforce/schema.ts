/**
 * The Salesforce sandbox's org: three sObjects with describe-style field lists and a deterministic generator per
 * object. Ids have the real shape (3-character key prefix, 15 case-sensitive characters plus the 3-character
 * case-safe suffix) and sort in index order, which lets the lazy store answer "ORDER BY SystemModstamp, Id".
 */
import { intBetween, pick, seededRandom, sentence } from '../common/seeded';

export interface SandboxField {
  name: string;
  type: string;
  createable: boolean;
  updateable: boolean;
  nillable: boolean;
  referenceTo?: string[];
}

export type SObjectName = 'Account' | 'Contact' | 'Opportunity';
export type SObjectRow = Record<string, unknown> & { Id: string; SystemModstamp: string; IsDeleted: boolean };

const system = (name: string, type: string): SandboxField => ({
  name,
  type,
  createable: false,
  updateable: false,
  nillable: false,
});
const field = (name: string, type: string, nillable = true, referenceTo?: string[]): SandboxField => ({
  name,
  type,
  createable: true,
  updateable: true,
  nillable,
  referenceTo,
});
const SYSTEM_FIELDS = [
  system('Id', 'id'),
  system('IsDeleted', 'boolean'),
  system('CreatedDate', 'datetime'),
  system('LastModifiedDate', 'datetime'),
  system('SystemModstamp', 'datetime'),
];

export const SOBJECTS: Record<SObjectName, { keyPrefix: string; salt: number; fields: SandboxField[] }> = {
  Account: {
    keyPrefix: '001',
    salt: 11,
    fields: [
      ...SYSTEM_FIELDS,
      field('Name', 'string', false),
      field('Industry', 'picklist'),
      field('Phone', 'phone'),
      field('Website', 'url'),
      field('BillingCity', 'string'),
      field('NumberOfEmployees', 'int'),
      field('AnnualRevenue', 'currency'),
    ],
  },
  Contact: {
    keyPrefix: '003',
    salt: 13,
    fields: [
      ...SYSTEM_FIELDS,
      field('FirstName', 'string'),
      field('LastName', 'string', false),
      field('Email', 'email'),
      field('Phone', 'phone'),
      field('Title', 'string'),
      field('AccountId', 'reference', true, ['Account']),
    ],
  },
  Opportunity: {
    keyPrefix: '006',
    salt: 17,
    fields: [
      ...SYSTEM_FIELDS,
      field('Name', 'string', false),
      field('StageName', 'picklist', false),
      field('Amount', 'currency'),
      field('CloseDate', 'date', false),
      field('Probability', 'percent'),
      field('AccountId', 'reference', true, ['Account']),
    ],
  },
};

export const SOBJECT_NAMES = Object.keys(SOBJECTS) as SObjectName[];

/** Seeded history: record i was last modified at SEED_EPOCH + i * SEED_STEP_MS (strictly increasing). */
const SEED_EPOCH_MS = Date.UTC(2024, 0, 1);
const SEED_STEP_MS = 5_000;
const ID_MIDDLE = 'Dn0000';
const BASE36_WIDTH = 6;
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from there toISOString writes a signed six-digit year. */
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_800_000;
const MAX_DATE_PREFIXES = 4096;
const datePrefixes = new Map<number, string>();

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Salesforce datetimes on the wire: 2024-01-02T03:04:05.000+0000. */
export function formatDatetime(ms: number): string {
  // Generated rows carry two stamps each, over a few hundred distinct days: the date part is looked up per day
  // and the time of day written from integer arithmetic (same text as toISOString for whole ms in 0000-9999).
  if (Number.isInteger(ms) && ms >= 0 && ms < MAX_FOUR_DIGIT_YEAR_MS) {
    const day = Math.floor(ms / DAY_MS);
    let datePart = datePrefixes.get(day);
    if (datePart === undefined) {
      datePart = new Date(day * DAY_MS).toISOString().slice(0, 11);
      if (datePrefixes.size >= MAX_DATE_PREFIXES) datePrefixes.clear();
      datePrefixes.set(day, datePart);
    }
    const inDay = ms - day * DAY_MS;
    const hours = Math.floor(inDay / 3_600_000);
    const minutes = Math.floor(inDay / 60_000) % 60;
    const seconds = Math.floor(inDay / 1000) % 60;
    const millis = inDay % 1000;
    return `${datePart}${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}+0000`;
  }
  const iso = new Date(ms).toISOString();
  // toISOString ends in Z; a 24-character answer is the common four-digit year (a slice is cheaper than replace).
  return iso.length === 24 ? `${iso.slice(0, 23)}+0000` : iso.replace('Z', '+0000');
}

export function baseModifiedMs(index: number): number {
  return SEED_EPOCH_MS + index * SEED_STEP_MS;
}

/** The documented case-safe suffix: one character per five, from which of them are upper case. */
function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const ch = id15[chunk * 5 + i] ?? '';
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS[bits];
  }
  return suffix;
}

export function sobjectId(object: SObjectName, index: number): string {
  const id15 = SOBJECTS[object].keyPrefix + ID_MIDDLE + index.toString(36).toUpperCase().padStart(BASE36_WIDTH, '0');
  return id15 + caseSafeSuffix(id15);
}

export function indexOfId(object: SObjectName, id: string): number | undefined {
  const prefix = SOBJECTS[object].keyPrefix + ID_MIDDLE;
  if (!id.startsWith(prefix) || (id.length !== 15 && id.length !== 18)) return undefined;
  const index = Number.parseInt(id.slice(prefix.length, prefix.length + BASE36_WIDTH), 36);
  return Number.isSafeInteger(index) && sobjectId(object, index).startsWith(id) ? index : undefined;
}

const INDUSTRIES = ['Technology', 'Finance', 'Healthcare', 'Retail', 'Energy', 'Education', 'Manufacturing'];
const CITIES = ['Berlin', 'Lisbon', 'Austin', 'Osaka', 'Nairobi', 'Toronto', 'Lyon'];
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Margaret', 'Linus', 'Frances', 'Dennis'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Thompson',
  'Hamilton',
  'Torvalds',
  'Allen',
  'Ritchie',
];
const STAGES = [
  'Prospecting',
  'Qualification',
  'Proposal/Price Quote',
  'Negotiation/Review',
  'Closed Won',
  'Closed Lost',
];

/**
 * Seeded row i of an sObject. Runs for every row a query lists (100,000 per full read), so it builds each row
 * in one object literal and formats each datetime once; the random draws stay in their documented order
 * (created offset, account, then the object's own fields), which keeps every seeded value as it always was.
 */
export function generateRow(object: SObjectName, index: number, seed: number, accountCount: number): SObjectRow {
  const random = seededRandom(seed, index, SOBJECTS[object].salt);
  const modified = baseModifiedMs(index);
  const id = sobjectId(object, index);
  const createdDate = formatDatetime(modified - intBetween(random, 0, 400) * 86_400_000);
  const stamp = formatDatetime(modified);
  // Drawn for every object (Accounts do not use it) so the draws after it stay the same.
  const accountIndex = accountCount > 0 ? intBetween(random, 0, accountCount - 1) : -1;
  if (object === 'Account') {
    const name = `${sentence(random, 1, 2)} ${pick(random, ['Inc', 'GmbH', 'Ltd', 'SA'])}`;
    return {
      Id: id,
      IsDeleted: false,
      CreatedDate: createdDate,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
      Name: name,
      Industry: pick(random, INDUSTRIES),
      Phone: `+1 555 ${intBetween(random, 1000000, 9999999)}`,
      Website: `https://example.com/a${index}`,
      BillingCity: pick(random, CITIES),
      NumberOfEmployees: intBetween(random, 1, 50_000),
      AnnualRevenue: intBetween(random, 10, 90_000) * 1000,
    };
  }
  const accountId = accountIndex >= 0 ? sobjectId('Account', accountIndex) : null;
  if (object === 'Contact') {
    const first = pick(random, FIRST);
    const last = pick(random, LAST);
    return {
      Id: id,
      IsDeleted: false,
      CreatedDate: createdDate,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
      FirstName: first,
      LastName: last,
      Email: `${first}.${last}.${index}@example.com`.toLowerCase(),
      Phone: null,
      Title: pick(random, ['CTO', 'Engineer', 'Buyer', 'VP Sales', null]),
      AccountId: accountId,
    };
  }
  const closeMs = modified + intBetween(random, -90, 180) * 86_400_000;
  return {
    Id: id,
    IsDeleted: false,
    CreatedDate: createdDate,
    LastModifiedDate: stamp,
    SystemModstamp: stamp,
    Name: `${sentence(random, 2, 4)} deal`,
    StageName: pick(random, STAGES),
    Amount: intBetween(random, 1, 500) * 100,
    CloseDate: new Date(closeMs).toISOString().slice(0, 10),
    Probability: intBetween(random, 0, 10) * 10,
    AccountId: accountId,
  };
}
