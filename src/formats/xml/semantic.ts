// What an XML document *means*, as xml-js reads it: used to prove that an edit changed exactly
// the intended attributes, texts and inserted elements, and nothing else (comments included).
import { isDeepStrictEqual } from 'node:util';
import xmljs from 'xml-js';
import { XmlSyntaxError } from './locate.js';
import { memoByText } from '../../engine/memo.js';

export type XmlNode =
  | { t: 'element'; name: string; attrs: Record<string, string>; children: XmlNode[] }
  | { t: 'text'; value: string }
  | { t: 'comment'; value: string }
  | { t: 'cdata'; value: string }
  | { t: 'instruction'; name: string; value: string }
  | { t: 'doctype'; value: string };

export type XmlIntent =
  | { kind: 'xml-attr'; path: number[]; name: string; value: string }
  | { kind: 'xml-text'; path: number[]; value: string }
  | { kind: 'xml-insert'; after: number[]; xml: string }
  /** The `comment`-th comment child (0-based, document order) of the element at `parent` becomes the markup `xml`. */
  | { kind: 'xml-uncomment'; parent: number[]; comment: number; xml: string }
  /** The element at `path` becomes a comment whose value is `comment`. */
  | { kind: 'xml-comment-out'; path: number[]; comment: string };

interface RawNode {
  type: string;
  name?: string;
  attributes?: Record<string, string | number>;
  elements?: RawNode[];
  text?: string | number;
  comment?: string;
  cdata?: string;
  instruction?: string;
  doctype?: string;
}

function normalize(nodes: RawNode[] | undefined): XmlNode[] {
  const out: XmlNode[] = [];
  for (const n of nodes ?? []) {
    switch (n.type) {
      case 'element':
        out.push({
          t: 'element',
          name: n.name ?? '',
          attrs: Object.fromEntries(Object.entries(n.attributes ?? {}).map(([k, v]) => [k, String(v)])),
          children: normalize(n.elements),
        });
        break;
      case 'text': {
        // Whitespace between elements is layout, not meaning: inserting a line changes only that.
        const v = String(n.text ?? '').trim();
        if (v) out.push({ t: 'text', value: v });
        break;
      }
      case 'comment':
        out.push({ t: 'comment', value: n.comment ?? '' });
        break;
      case 'cdata':
        out.push({ t: 'cdata', value: n.cdata ?? '' });
        break;
      case 'instruction':
        out.push({ t: 'instruction', name: n.name ?? '', value: n.instruction ?? '' });
        break;
      case 'doctype':
        out.push({ t: 'doctype', value: n.doctype ?? '' });
        break;
    }
  }
  return out;
}

/** Parses with xml-js (strict sax underneath); syntax errors carry line and column. */
/** xmlMeaning, memoized: the same text is parsed once per run (results are read-only). */
export const xmlMeaning = memoByText(parseXmlMeaning);

function parseXmlMeaning(text: string): XmlNode[] {
  let raw: RawNode;
  try {
    raw = xmljs.xml2js(text, { compact: false, captureSpacesBetweenElements: false, ignoreDeclaration: true }) as RawNode;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /Line:\s*(\d+)\s*Column:\s*(\d+)/i.exec(msg);
    const reason = msg.split('\n')[0] ?? msg;
    throw new XmlSyntaxError(reason, m ? Number(m[1]) + 1 : 0, m ? Number(m[2]) + 1 : 0);
  }
  return normalize(raw.elements);
}

function elementAt(nodes: XmlNode[], path: number[]): Extract<XmlNode, { t: 'element' }> {
  let list = nodes.filter((n) => n.t === 'element');
  let el = list[0];
  for (const i of path) {
    if (!el || el.t !== 'element') break;
    list = el.children.filter((n) => n.t === 'element');
    el = list[i];
  }
  if (!el || el.t !== 'element') throw new Error(`no element at path [${path.join(',')}]`);
  return el;
}

function parentOf(nodes: XmlNode[], path: number[]): XmlNode[] {
  return path.length === 0 ? nodes : elementAt(nodes, path.slice(0, -1)).children;
}

/** Markup that may hold several top-level elements (sax refuses text inside a second one), e.g. a restored <filter> and its <filter-mapping>. */
function fragmentMeaning(xml: string): XmlNode[] {
  const wrapper = xmlMeaning(`<x>${xml}</x>`)[0];
  return wrapper?.t === 'element' ? wrapper.children : [];
}

/** The meaning the original should have after the intents: the yardstick for the edited file. */
export function expectedMeaning(original: XmlNode[], intents: readonly XmlIntent[]): XmlNode[] {
  const doc = JSON.parse(JSON.stringify(original)) as XmlNode[]; // same-realm copy (structuredClone breaks deep-equality under jest)
  // Resolve every target (and the list it sits in) before mutating, so paths keep referring to the original
  // document; the lists are mutated in place, so they stay the right ones.
  const targets = intents.map((i): XmlNode => {
    if (i.kind === 'xml-insert') return elementAt(doc, i.after);
    if (i.kind === 'xml-uncomment') {
      const comment = elementAt(doc, i.parent).children.filter((c) => c.t === 'comment')[i.comment];
      if (!comment) throw new Error(`no comment #${i.comment} in the element at path [${i.parent.join(',')}]`);
      return comment;
    }
    return elementAt(doc, i.path);
  });
  const lists = intents.map((i) =>
    i.kind === 'xml-insert' ? parentOf(doc, i.after) : i.kind === 'xml-uncomment' ? elementAt(doc, i.parent).children : i.kind === 'xml-comment-out' ? parentOf(doc, i.path) : [],
  );
  const inserted = new Map<XmlNode, XmlNode>();
  const replace = (list: XmlNode[], node: XmlNode, by: XmlNode[]): void => {
    const at = list.indexOf(node);
    if (at === -1) throw new Error('two intents replace the same node');
    list.splice(at, 1, ...by);
  };
  intents.forEach((intent, k) => {
    const node = targets[k]!;
    if (intent.kind === 'xml-uncomment') return replace(lists[k]!, node, fragmentMeaning(intent.xml));
    if (intent.kind === 'xml-comment-out') return replace(lists[k]!, node, [{ t: 'comment', value: intent.comment }]);
    const el = node as Extract<XmlNode, { t: 'element' }>;
    if (intent.kind === 'xml-attr') el.attrs[intent.name] = intent.value;
    else if (intent.kind === 'xml-text') {
      // In place: another intent's list may be this very array.
      el.children.splice(0, el.children.length, ...el.children.filter((c) => c.t !== 'text' && c.t !== 'cdata'));
      if (intent.value) el.children.push({ t: 'text', value: intent.value.trim() });
    } else {
      const siblings = lists[k]!;
      const anchor = inserted.get(el) ?? el;
      const nodes = xmlMeaning(intent.xml);
      siblings.splice(siblings.indexOf(anchor) + 1, 0, ...nodes);
      if (nodes.length) inserted.set(el, nodes[nodes.length - 1]!);
    }
  });
  return doc;
}

/** Undefined when `after` means exactly `before` plus the intents; else a reason. */
export function verifyXml(before: string, after: string, intents: readonly XmlIntent[]): string | undefined {
  const expected = expectedMeaning(xmlMeaning(before), intents);
  let actual: XmlNode[];
  try {
    actual = xmlMeaning(after);
  } catch (e) {
    return `the edited file no longer parses: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (isDeepStrictEqual(expected, actual)) return undefined;
  return `the edited document differs from the intended change${firstDifference(expected, actual)}`;
}

function firstDifference(a: XmlNode[], b: XmlNode[], where = ''): string {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (isDeepStrictEqual(x, y)) continue;
    if (x?.t === 'element' && y?.t === 'element' && x.name === y.name && isDeepStrictEqual(x.attrs, y.attrs)) {
      return firstDifference(x.children, y.children, `${where}/${x.name}`);
    }
    const show = (n: XmlNode | undefined): string => (n ? (n.t === 'element' ? `<${n.name}>` : n.t) : 'nothing');
    return ` at ${where || '/'}: expected ${show(x)}, found ${show(y)}`;
  }
  return '';
}
