/**
 * Keyset paging of the GitHub cursor against a model of GitHub's list (since inclusive, updated asc,
 * page numbers): every record is delivered, none twice, even with many records sharing one second and with
 * records changing mid-read.
 */
import fc from 'fast-check';
import { pageQuery, takePage, type PagePosition } from './cursor';

interface Item {
  id: string;
  t: number;
}

const iso = (t: number) => new Date(Date.UTC(2024, 0, 1) + t * 1000).toISOString().replace('.000Z', 'Z');

function list(
  items: Item[],
  since: string | undefined,
  page: number,
  perPage: number,
): { page: { id: string; updatedAt: string }[]; more: boolean } {
  const sinceMs = since ? Date.parse(since) : -Infinity;
  const sorted = items
    .map((item) => ({ id: item.id, updatedAt: iso(item.t) }))
    .filter((item) => Date.parse(item.updatedAt) >= sinceMs)
    .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt) || (a.id < b.id ? -1 : 1));
  const start = (page - 1) * perPage;
  return { page: sorted.slice(start, start + perPage), more: sorted.length > start + perPage };
}

/** Runs one read to the end the way the adapter does; `mutate` may change the data between pages. */
function readAll(
  items: Item[],
  pageSize: number,
  maxPerPage: number,
  mutate: (step: number) => void = () => undefined,
): string[] {
  const delivered: string[] = [];
  let position: PagePosition = { atInstant: 0, skip: [] };
  for (let step = 0; step < 10_000; step += 1) {
    const query = pageQuery(position, pageSize, maxPerPage);
    const answer = list(items, query.since, query.page ?? 1, query.perPage);
    const taken = takePage(position, answer.page, pageSize, answer.more, query.offset);
    expect(taken.deliver.length).toBeLessThanOrEqual(pageSize);
    delivered.push(...taken.deliver.map((item) => item.id));
    position = taken.next;
    if (!taken.more) return delivered;
    mutate(step);
  }
  throw new Error('paging did not end');
}

describe('GitHub keyset paging', () => {
  it('delivers every record exactly once, also when many share one second', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 12 }),
        (times, pageSize, maxPerPage) => {
          const items = times.map((t, i) => ({ id: `r${i}`, t }));
          const delivered = readAll(items, pageSize, maxPerPage);
          expect([...delivered].sort()).toEqual(items.map((item) => item.id).sort());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('loses no record when delivered records change while paging', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (count, pageSize, picks) => {
          const items = Array.from({ length: count }, (_, i) => ({ id: `r${i}`, t: i * 2 }));
          let clock = count * 2;
          const delivered = readAll(items, pageSize, 100, (step) => {
            const pick = picks[step];
            if (pick === undefined) return;
            items[pick % items.length]!.t = ++clock; // a change moves the record to the end
          });
          expect(new Set(delivered)).toEqual(new Set(items.map((item) => item.id)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
