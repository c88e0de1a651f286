/**
 * A record store for 100,000+ seeded records that costs memory only for what changed. Base records are
 * computed from their index; changed, created and deleted records live in small overlays. Listing "changed
 * since T, oldest first" is answered by arithmetic over the base range plus the sorted overlays.
 *
 * Invariant (kept by `put`): an overlay record's modified time is later than every base record's, which is
 * what providers do too (a change happens now; seeded history lies in the past).
 */

export interface LazyStoreOptions<T> {
  baseCount: number;
  generate(index: number): T;
  /** The base index behind an id, or undefined for ids that are not seeded ones. */
  indexOf(id: string): number | undefined;
  idOf(record: T): string;
  modifiedMsOf(record: T): number;
  /** Modified time of base record i; must not decrease with i. */
  baseModifiedMs(index: number): number;
}

/** A read-only ordered slice: `at(k)` computes the k-th record on demand. */
export interface OrderedView<T> {
  length: number;
  at(position: number): T;
}

function lowerBound(length: number, isBefore: (i: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isBefore(mid)) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class LazyRecordStore<T> {
  private readonly overlay = new Map<string, T>();
  /** Base indices hidden from the base range (changed or deleted). */
  private readonly hidden = new Set<number>();
  private hiddenSorted: number[] | undefined = [];
  private overlaySorted: T[] | undefined = [];

  constructor(private readonly options: LazyStoreOptions<T>) {}

  get baseCount(): number {
    return this.options.baseCount;
  }

  get(id: string): T | undefined {
    const changed = this.overlay.get(id);
    if (changed !== undefined) return changed;
    const index = this.options.indexOf(id);
    if (index === undefined || index < 0 || index >= this.options.baseCount || this.hidden.has(index)) return undefined;
    return this.options.generate(index);
  }

  /** Creates or replaces a record; its modified time is raised above the seeded history if needed. */
  put(record: T): void {
    const id = this.options.idOf(record);
    const index = this.options.indexOf(id);
    if (index !== undefined && index >= 0 && index < this.options.baseCount) this.hide(index);
    this.overlay.set(id, record);
    this.overlaySorted = undefined;
  }

  /** The smallest modified time a changed record may carry to keep overlays after the base range. */
  get minimumChangeMs(): number {
    return this.options.baseCount === 0 ? 0 : this.options.baseModifiedMs(this.options.baseCount - 1) + 1;
  }

  remove(id: string): boolean {
    const existed = this.get(id) !== undefined;
    const index = this.options.indexOf(id);
    if (index !== undefined && index >= 0 && index < this.options.baseCount) this.hide(index);
    if (this.overlay.delete(id)) this.overlaySorted = undefined;
    return existed;
  }

  count(): number {
    return this.options.baseCount - this.hidden.size + this.overlay.size;
  }

  /** Records modified at or after sinceMs, oldest first (ties by id); `keep` filters changed records only. */
  since(sinceMs: number, keep?: (record: T) => boolean): OrderedView<T> {
    const { baseCount, baseModifiedMs, generate } = this.options;
    const start = lowerBound(baseCount, (i) => baseModifiedMs(i) < sinceMs);
    const hidden = this.sortedHidden();
    const firstHidden = lowerBound(hidden.length, (i) => hidden[i]! < start);
    const skipped = hidden.slice(firstHidden);
    const baseLength = baseCount - start - skipped.length;
    const overlays = this.sortedOverlay();
    const firstOverlay = lowerBound(overlays.length, (i) => this.options.modifiedMsOf(overlays[i]!) < sinceMs);
    const changed = overlays.slice(firstOverlay).filter((record) => keep === undefined || keep(record));
    return {
      length: baseLength + changed.length,
      at(position: number): T {
        if (position >= baseLength) return changed[position - baseLength]!;
        // Walk past hidden indices at or before the candidate: each one shifts the answer by one.
        let index = start + position;
        for (const hiddenIndex of skipped) {
          if (hiddenIndex <= index) index += 1;
          else break;
        }
        return generate(index);
      },
    };
  }

  private hide(index: number): void {
    if (this.hidden.has(index)) return;
    this.hidden.add(index);
    this.hiddenSorted = undefined;
  }

  private sortedHidden(): number[] {
    this.hiddenSorted ??= [...this.hidden].sort((a, b) => a - b);
    return this.hiddenSorted;
  }

  private sortedOverlay(): T[] {
    if (!this.overlaySorted) {
      const { modifiedMsOf, idOf } = this.options;
      this.overlaySorted = [...this.overlay.values()].sort(
        (a, b) => modifiedMsOf(a) - modifiedMsOf(b) || (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0),
      );
    }
    return this.overlaySorted;
  }
}

/** Applies a view in either direction with offset/limit, the way page-numbered APIs slice results. */
export function slice<T>(view: OrderedView<T>, offset: number, limit: number, descending = false): T[] {
  const out: T[] = [];
  for (let k = offset; k < Math.min(view.length, offset + limit); k += 1)
    out.push(view.at(descending ? view.length - 1 - k : k));
  return out;
}
