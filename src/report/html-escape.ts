// Escaping for the HTML report. Every value reaches the page through `html\`…\``, which escapes each
// interpolated value unless it is already markup (an `Html` made by this module), so a config value
// holding `<script>` or `"onload=` is text, never markup. Pure.

/** Markup that is already safe to put in a page (built by `html` or `raw`). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text as HTML character data or a quoted attribute value. C0 controls other than tab, line feed and
 * carriage return, and lone surrogates, are not allowed in HTML: they become U+FFFD.
 */
export function escapeHtml(value: string | number): string {
  return String(value)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Markup written by harden itself (never a value read from a home). */
export function raw(markup: string): Html {
  return new Html(markup);
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false || v === true) return '';
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(v as string | number);
}

/** A template whose interpolations are escaped (arrays are joined; null, undefined and booleans print nothing). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** An http(s) address for an href, or undefined: no javascript:, data: or relative links from data. */
export function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** A fragment id built from harden's own counters and a fixed prefix (never from data). */
export const anchor = (...parts: (string | number)[]): string => parts.join('-');
