// Splice edits for JSON: each returns the smallest TextEdit that makes the change, laid out like the
// value's neighbours (their separators, line breaks, indentation and spacing around ':' are copied).
import { applyEdits, type TextEdit } from '../text.js';
import type { JsonDoc, JsonMember, JsonNode } from './locate.js';

/** A JSON string literal; only what JSON requires is escaped, so non-ASCII text stays readable. */
export function jsonString(s: string): string {
  return JSON.stringify(s);
}

/** Replaces a value's source text. */
export function replaceValue(node: JsonNode, text: string): TextEdit {
  return { start: node.start, end: node.end, text };
}

/**
 * The separator to put before a new last item or member: the one between the last two, else a comma plus the
 * whitespace that precedes the only one (one per line stays one per line), else ', '.
 */
function separator(doc: JsonDoc, open: number, spans: readonly { start: number; end: number }[]): string {
  const last = spans.at(-1);
  const prev = spans.at(-2);
  if (last && prev) return doc.text.slice(prev.end, last.start);
  if (last) {
    const lead = doc.text.slice(open + 1, last.start);
    return /\n/.test(lead) ? `,${lead}` : ', ';
  }
  return '';
}

/** Appends `itemText` as the array's new last item. */
export function appendItem(doc: JsonDoc, array: Extract<JsonNode, { kind: 'array' }>, itemText: string): TextEdit {
  const last = array.items.at(-1);
  if (!last) return { start: array.start + 1, end: array.start + 1, text: itemText };
  return { start: last.end, end: last.end, text: separator(doc, array.start, array.items) + itemText };
}

/** Adds `"key": value` as the object's new last member, with the last member's spacing around ':'. */
export function addMember(doc: JsonDoc, obj: Extract<JsonNode, { kind: 'object' }>, key: string, valueText: string): TextEdit {
  const last = obj.members.at(-1);
  const spans = obj.members.map((m) => ({ start: m.keyStart, end: m.value.end }));
  const colon = last ? doc.text.slice(last.keyEnd, last.value.start) : ': ';
  const written = `${jsonString(key)}${colon}${valueText}`;
  if (!last) return { start: obj.start + 1, end: obj.start + 1, text: written };
  return { start: last.value.end, end: last.value.end, text: separator(doc, obj.start, spans) + written };
}

/**
 * The source text of `model` (an item of the file) with some of its values replaced, so a new sibling
 * has exactly the model's layout. `values` maps members of the model to their new source text.
 */
export function cloneWith(doc: JsonDoc, model: JsonNode, values: ReadonlyMap<JsonMember, string>): string {
  const edits = [...values].map(([m, text]) => ({ start: m.value.start - model.start, end: m.value.end - model.start, text }));
  return applyEdits(doc.text.slice(model.start, model.end), edits);
}
