import {
  createCharge,
  deleteCharge,
  patchCharge,
  pointReadCharge,
  queryCharge,
  replaceCharge,
  writeSizeCharge,
} from './cosmos-charge';
import { changedTermCount, indexedTermCount } from './indexed-terms';

describe('Cosmos request-unit estimates (figures of the published page, checked by hand)', () => {
  it('reproduces the worked examples of the page', () => {
    // Create: 1 KB with 10 indexed terms: 4.95 + 0.2 × 10 = 6.95 (the page rounds the size part to 5.0: 7 RU).
    expect(createCharge(1024, 10)).toBeCloseTo(6.95, 5);
    // Replace: 1 KB, two modified terms: 2 × 4.95 + 0.2 × 2 × 2 = 10.7 (page: 5 + 5 + 0.4 + 0.4 = 10.8).
    expect(replaceCharge(1024, 2)).toBeCloseTo(10.7, 5);
    // Patch: the replace plus 0.4 per operation: 10.7 + 0.8 = 11.5 (page: 11.6 with 5.0).
    expect(patchCharge(1024, 2, 2)).toBeCloseTo(11.5, 5);
    // Delete: 1 KB, 10 terms: 4.95 + 2 = 6.95 (page: 7.0).
    expect(deleteCharge(1024, 10)).toBeCloseTo(6.95, 5);
  });

  it('interpolates the size table and holds the 1 KB figure below it', () => {
    expect(writeSizeCharge(300)).toBe(4.95);
    // 1.5 KB: halfway between 4.95 (1 KB) and 6.29 (2 KB) = 5.62.
    expect(writeSizeCharge(1536)).toBeCloseTo(5.62, 5);
    // 3 KB: halfway between 6.29 and 6.67 = 6.48.
    expect(writeSizeCharge(3 * 1024)).toBeCloseTo(6.48, 5);
    expect(pointReadCharge(1024)).toBe(1);
    // 100 KB point read: between 64 KB (4.76) and 128 KB (9.95): 4.76 + 36/64 × 5.19 = 7.679 (the page's "~10" is rounded up).
    expect(pointReadCharge(100 * 1024)).toBeCloseTo(7.679, 3);
  });

  it('estimates a query from the documents it returns, with a floor per page', () => {
    expect(queryCharge([])).toBe(2.5);
    expect(queryCharge([1024, 1024, 2048])).toBeCloseTo(3.04, 5);
  });

  it('counts indexed terms as leaves and array elements, without Cosmos system properties', () => {
    const doc = { id: 'a', tenantId: 't', counters: { created: 1, updated: 0 }, ids: ['1', '2'], _etag: 'x', _ts: 1 };
    // id, tenantId, counters/created, counters/updated, ids/0, ids/1
    expect(indexedTermCount(doc)).toBe(6);
    expect(changedTermCount(doc, { ...doc, counters: { created: 2, updated: 0 }, ids: ['1'] })).toBe(2);
  });
});
