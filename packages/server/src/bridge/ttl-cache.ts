/**
 * What the bridge keeps from the instance between calls (describe, activity types, names → ids):
 * each value for a while, loaded once however many calls ask at the same time. A load that fails is
 * not kept. The admin reset empties every cache.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; until: number }>();

  constructor(
    readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.value;
    const value = load();
    this.entries.set(key, { value, until: this.now() + this.ttlMs });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  /** A value learnt on the way (a list found by id is also known by name). */
  set(key: string, value: V): void {
    this.entries.set(key, { value: Promise.resolve(value), until: this.now() + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
