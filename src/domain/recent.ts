/**
 * The values made for the most recent keys, bounded in count: when full, the key kept longest
 * goes. For work a client repeats (the same List request, the same GET URL) whose result
 * depends on the key alone. Two calls rather than one taking a `make` callback: these sit on
 * hot paths, where a hit should allocate nothing.
 *
 *   const recent = new Recent<string, Prepared>(1024);
 *   const prepared = recent.get(text) ?? recent.keep(text, prepare(text));
 */
export class Recent<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly max: number) {}

  get(key: K): V | undefined {
    return this.values.get(key);
  }

  /** Keeps `value` under `key` and returns it. */
  keep(key: K, value: V): V {
    if (this.values.size >= this.max && !this.values.has(key)) this.values.delete(this.values.keys().next().value!);
    this.values.set(key, value);
    return value;
  }

  get size(): number {
    return this.values.size;
  }
}
