/** The lazy store against a plain in-memory model: same records, same order, for any mix of changes. */
import fc from 'fast-check';
import { LazyRecordStore, slice } from './lazy-store';

interface Row {
  id: string;
  modifiedMs: number;
  value: string;
}

const STEP = 10;

function makeStore(baseCount: number) {
  return new LazyRecordStore<Row>({
    baseCount,
    generate: (index) => ({ id: String(index), modifiedMs: index * STEP, value: `base-${index}` }),
    indexOf: (id) => (/^\d+$/.test(id) ? Number(id) : undefined),
    idOf: (row) => row.id,
    modifiedMsOf: (row) => row.modifiedMs,
    baseModifiedMs: (index) => index * STEP,
  });
}

type Op = { kind: 'put'; id: number; bump: number } | { kind: 'remove'; id: number };

describe('LazyRecordStore', () => {
  it('lists exactly what a naive model lists, oldest first, for any changes and since', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.array(
          fc.oneof(
            fc.record({
              kind: fc.constant('put' as const),
              id: fc.integer({ min: 0, max: 50 }),
              bump: fc.integer({ min: 1, max: 5 }),
            }),
            fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 50 }) }),
          ),
          { maxLength: 30 },
        ),
        fc.integer({ min: 0, max: 600 }),
        (baseCount, ops: Op[], since) => {
          const store = makeStore(baseCount);
          const model = new Map<string, Row>();
          for (let i = 0; i < baseCount; i += 1)
            model.set(String(i), { id: String(i), modifiedMs: i * STEP, value: `base-${i}` });
          let clock = store.minimumChangeMs;
          for (const op of ops) {
            const id = String(op.id);
            if (op.kind === 'put') {
              clock += op.bump;
              const row = { id, modifiedMs: clock, value: `v${clock}` };
              store.put(row);
              model.set(id, row);
            } else {
              expect(store.remove(id)).toBe(model.delete(id));
            }
          }
          const expected = [...model.values()]
            .filter((row) => row.modifiedMs >= since)
            .sort((a, b) => a.modifiedMs - b.modifiedMs || (a.id < b.id ? -1 : 1));
          const view = store.since(since);
          expect(slice(view, 0, 1000)).toEqual(expected);
          expect(slice(view, 0, 1000, true)).toEqual([...expected].reverse());
          expect(store.count()).toBe(model.size);
          for (const [id, row] of model) expect(store.get(id)).toEqual(row);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('serves a deep page of 200,000 seeded records without materialising them', () => {
    const store = makeStore(200_000);
    store.put({ id: '5', modifiedMs: store.minimumChangeMs + 1, value: 'changed' });
    const started = performance.now();
    const view = store.since(0);
    const page = slice(view, 150_000, 100);
    expect(page[0]!.id).toBe('150001');
    expect(view.length).toBe(200_000);
    expect(view.at(view.length - 1).value).toBe('changed');
    expect(performance.now() - started).toBeLessThan(200);
  });
});
