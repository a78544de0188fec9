// Pure parsers memoized by their input text: each fix step re-reads the text the step before wrote,
// and verification parses both sides, so the same text would otherwise be parsed many times per run.
// Results are shared: callers treat them as read-only.
const LIMIT = 64;

export function memoByText<T>(parse: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined || cache.has(text)) return hit as T;
    const value = parse(text); // a throw is not cached: bad input is reported on every call
    if (cache.size >= LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(text, value);
    return value;
  };
}
