// Config-mapper templates paste TOML values into XML unescaped (RULES §1.6): a value bound for XML must
// already be escaped, and an already-escaped value must not be escaped twice.

/** `&` becomes `&amp;` unless it already starts an entity (`&amp;`, `&lt;`, `&#39;`, `&#x27;`, …); `<` and `"` become `&lt;` and `&quot;`. */
export function xmlSafe(value: string): string {
  return value
    .replace(/&(?![A-Za-z][A-Za-z0-9]*;|#[0-9]+;|#[xX][0-9A-Fa-f]+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/"/g, '&quot;');
}
