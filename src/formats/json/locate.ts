// Locates JSON values by source offset (Jaggery's jaggery.conf and similar files). JSON.parse cannot
// report offsets, so this small scanner finds *where* things are; JSON.parse stays the judge of what a
// document means (semantic.ts). The grammar is strict RFC 8259, as Jaggery's json-simple reader is:
// no comments, no trailing commas. A key repeated in one object is refused, because which copy a reader
// keeps is not something an edit should depend on.
import { positionOf } from '../text.js';
import { memoByText } from '../../engine/memo.js';

interface Span {
  /** Offset of the value's first character. */
  start: number;
  /** Offset just past the value. */
  end: number;
}

export interface JsonMember {
  key: string;
  /** Offsets of the key's string token, quotes included. */
  keyStart: number;
  keyEnd: number;
  value: JsonNode;
}

export type JsonNode =
  | (Span & { kind: 'object'; members: JsonMember[] })
  | (Span & { kind: 'array'; items: JsonNode[] })
  | (Span & { kind: 'string'; value: string })
  | (Span & { kind: 'number'; value: number })
  | (Span & { kind: 'boolean'; value: boolean })
  | (Span & { kind: 'null'; value: null });

export interface JsonDoc {
  text: string;
  root: JsonNode;
}

export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} (line ${line}, column ${column})`);
    this.name = 'JsonSyntaxError';
  }
}

const WS = /[ \t\r\n]*/y;
const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** locateJson, memoized: the same text is scanned once per run (results are read-only). */
export const locateJson = memoByText(parseLocateJson);

function parseLocateJson(text: string): JsonDoc {
  let pos = 0;
  const fail = (reason: string, at: number = pos): never => {
    const { line, column } = positionOf(text, at);
    throw new JsonSyntaxError(reason, line, column);
  };
  const skip = (): void => {
    WS.lastIndex = pos;
    pos += WS.exec(text)![0].length;
  };
  const describe = (): string => (pos >= text.length ? 'the end of the file' : `'${text[pos]}'`);

  const readString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    for (;;) {
      if (pos >= text.length) fail('unterminated string', start);
      const c = text[pos]!;
      if (c === '"') {
        pos++;
        return out;
      }
      if (c.charCodeAt(0) < 0x20) fail('a control character inside a string (write it as an escape)');
      if (c !== '\\') {
        out += c;
        pos++;
        continue;
      }
      const e = text[pos + 1];
      if (e === 'u') {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('a \\u escape needs four hex digits');
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else if (e !== undefined && e in ESCAPES) {
        out += ESCAPES[e];
        pos += 2;
      } else {
        fail(`unknown escape \\${e ?? ''}`);
      }
    }
  };

  const readValue = (depth: number): JsonNode => {
    if (depth > 200) fail('nested too deeply');
    skip();
    const start = pos;
    const c = text[pos];
    if (c === '{') {
      pos++;
      const members: JsonMember[] = [];
      const seen = new Set<string>();
      skip();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', start, end: pos, members };
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail(`expected a key in double quotes, found ${describe()}`);
        const keyStart = pos;
        const key = readString();
        const keyEnd = pos;
        if (seen.has(key)) fail(`duplicate key "${key}"`, keyStart);
        seen.add(key);
        skip();
        if (text[pos] !== ':') fail(`expected ':' after key "${key}", found ${describe()}`);
        pos++;
        const value = readValue(depth + 1);
        members.push({ key, keyStart, keyEnd, value });
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { kind: 'object', start, end: pos, members };
        }
        fail(`expected ',' or '}' in an object, found ${describe()}`);
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skip();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', start, end: pos, items };
      }
      for (;;) {
        items.push(readValue(depth + 1));
        skip();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return { kind: 'array', start, end: pos, items };
        }
        fail(`expected ',' or ']' in an array, found ${describe()}`);
      }
    }
    if (c === '"') {
      const value = readString();
      return { kind: 'string', start, end: pos, value };
    }
    for (const [word, value] of [['true', true], ['false', false]] as const) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return { kind: 'boolean', start, end: pos, value };
      }
    }
    if (text.startsWith('null', pos)) {
      pos += 4;
      return { kind: 'null', start, end: pos, value: null };
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0 && m[0] !== '-') {
      pos += m[0].length;
      return { kind: 'number', start, end: pos, value: Number(m[0]) };
    }
    if (text.startsWith('//', pos) || text.startsWith('/*', pos)) fail('a comment (JSON has none, and Jaggery cannot read the file with it)');
    return fail(`expected a value, found ${describe()}`);
  };

  const root = readValue(0);
  skip();
  if (pos < text.length) fail(`unexpected ${describe()} after the top-level value`);
  return { text, root };
}

/** The member of an object named `key`. */
export function member(node: JsonNode | undefined, key: string): JsonMember | undefined {
  return node?.kind === 'object' ? node.members.find((m) => m.key === key) : undefined;
}

/** A string member's value, trimmed; undefined when absent or not a string. */
export function stringMember(node: JsonNode | undefined, key: string): string | undefined {
  const v = member(node, key)?.value;
  return v?.kind === 'string' ? v.value.trim() : undefined;
}

/** The path of keys and indexes from the root to `target`, or undefined when it is not in the tree. */
export function pathOf(root: JsonNode, target: JsonNode): (string | number)[] | undefined {
  if (root === target) return [];
  if (root.kind === 'object') {
    for (const m of root.members) {
      const p = pathOf(m.value, target);
      if (p) return [m.key, ...p];
    }
  } else if (root.kind === 'array') {
    for (let i = 0; i < root.items.length; i++) {
      const p = pathOf(root.items[i]!, target);
      if (p) return [i, ...p];
    }
  }
  return undefined;
}
