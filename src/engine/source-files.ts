// The files of a product home as the engine sees them: decoded text, read once by src/io, and
// parsed at most once per run (transforms share the parse).
import { locateXml, type XmlDoc } from '../formats/xml/locate.js';

export interface SourceFile {
  /** HOME-relative path with '/' separators. */
  path: string;
  text: string;
  /** How the bytes decode: utf8 unless an XML declaration says ISO-8859-1. */
  encoding: 'utf8' | 'latin1';
  bom: boolean;
}

export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line ? `:${line}${column ? `:${column}` : ''}` : ''}: ${reason}`);
  }
}

export class SourceFiles {
  private readonly byPath = new Map<string, SourceFile>();
  private readonly xmlCache = new Map<string, XmlDoc>();

  constructor(
    files: Iterable<SourceFile>,
    /** Every HOME-relative path known to exist (also files not loaded), for detection and globbing. */
    readonly listing: readonly string[] = [],
  ) {
    for (const f of files) this.byPath.set(f.path, f);
  }

  get(path: string): SourceFile | undefined {
    return this.byPath.get(path);
  }

  has(path: string): boolean {
    return this.byPath.has(path) || this.listing.includes(path);
  }

  paths(): string[] {
    return [...this.byPath.keys()].sort();
  }

  /** Loaded files whose path matches a glob ('*' matches within one segment). */
  glob(pattern: string): SourceFile[] {
    const re = globToRegExp(pattern);
    return this.paths()
      .filter((p) => re.test(p))
      .map((p) => this.byPath.get(p)!);
  }

  /** The located XML of a file, parsed once; malformed XML is an InputError naming file and line. */
  xml(path: string): XmlDoc {
    const cached = this.xmlCache.get(path);
    if (cached) return cached;
    const f = this.byPath.get(path);
    if (!f) throw new InputError(path, 'file was not loaded');
    try {
      const doc = locateXml(f.text);
      this.xmlCache.set(path, doc);
      return doc;
    } catch (e) {
      const err = e as { reason?: string; line?: number; column?: number; message?: string };
      throw new InputError(path, `malformed XML: ${err.reason ?? err.message}`, err.line, err.column);
    }
  }

  /** A copy with some files' text replaced (the planned result), sharing nothing mutable. */
  withTexts(texts: ReadonlyMap<string, string>): SourceFiles {
    const files = [...this.byPath.values()].map((f) => (texts.has(f.path) ? { ...f, text: texts.get(f.path)! } : f));
    return new SourceFiles(files, this.listing);
  }
}

export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((seg) => seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('/');
  return new RegExp(`^${body}$`);
}
