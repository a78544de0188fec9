// The smallest single edit that turns `before` into `after` when both sit at `start` in a file: the common
// prefix and suffix are left in place, so a rewritten parameter in a long value changes only its own bytes.
import type { TextEdit } from '../formats/text.js';

export function narrowEdit(start: number, before: string, after: string): TextEdit {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && before[before.length - 1 - tail] === after[after.length - 1 - tail]) tail++;
  return { start: start + head, end: start + before.length - tail, text: after.slice(head, after.length - tail) };
}
