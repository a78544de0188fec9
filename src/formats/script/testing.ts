// Helpers for this folder's tests (pure, no jest): untouched bytes around edits, and the expected semantic view.

import type { TextEdit } from '../text.js';

/** True when the bytes before the first edit and after the last one are unchanged in `after`. */
export function changedOnlyWithin(before: string, after: string, edits: readonly TextEdit[]): boolean {
  if (edits.length === 0) return before === after;
  const lo = Math.min(...edits.map((e) => e.start));
  const hi = Math.max(...edits.map((e) => e.end));
  const tail = before.length - hi;
  return after.startsWith(before.slice(0, lo)) && after.endsWith(before.slice(hi)) && after.length - tail >= lo;
}

/** `args` with `-Dname=value` set: first occurrence replaced, later ones dropped, else inserted at `insertAt`. */
export function withFlag(args: readonly string[], name: string, value: string, insertAt: number): string[] {
  const isTarget = (a: string): boolean => a === `-D${name}` || a.startsWith(`-D${name}=`);
  const first = args.findIndex(isTarget);
  if (first < 0) return [...args.slice(0, insertAt), `-D${name}=${value}`, ...args.slice(insertAt)];
  return args.flatMap((a, i) => (!isTarget(a) ? [a] : i === first ? [`-D${name}=${value}`] : []));
}
