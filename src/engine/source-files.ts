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
  /** Permission bits (mode & 0o7777) where the platform has them and the path is not a link. */
  mode?: number;
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
    /** Permission bits of files that are stat-only (listed with their mode, never read: keystores). */
    readonly statModes: ReadonlyMap<string, number> = new Map(),
  ) {
    for (const f of files) this.byPath.set(f.path, f);
  }

  /** A file's permission bits (loaded or stat-only), or undefined where unknown (a link, Windows). */
  mode(path: string): number | undefined {
    return this.byPath.get(path)?.mode ?? this.statModes.get(path);
  }

  /** Every path whose mode is known (loaded and stat-only files), sorted. */
  modePaths(): string[] {
    return [...new Set([...this.statModes.keys(), ...[...this.byPath.values()].filter((f) => f.mode !== undefined).map((f) => f.path)])].sort();
  }

  /** Every path whose mode is known and that matches the glob, sorted. */
  modes(pattern: string): { path: string; mode: number }[] {
    const re = globToRegExp(pattern);
    return this.modePaths()
      .filter((p) => re.test(p))
      .map((path) => ({ path, mode: this.mode(path)! }));
  }

  /** A copy with some files' permission bits replaced (the planned result). */
  withModes(modes: ReadonlyMap<string, number>): SourceFiles {
    if (modes.size === 0) return this;
    const files = [...this.byPath.values()].map((f) => (modes.has(f.path) ? { ...f, mode: modes.get(f.path)! } : f));
    const stat = new Map(this.statModes);
    for (const [p, m] of modes) if (!this.byPath.has(p)) stat.set(p, m);
    return new SourceFiles(files, this.listing, stat);
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
    return new SourceFiles(files, this.listing, this.statModes);
  }
}

/** How many directory levels a `**` segment descends at most (src/io/read-home.ts walks no deeper). */
export const GLOB_MAX_DEPTH = 8;

/**
 * A glob as a regular expression over HOME-relative paths: '*' matches within one segment, and a whole
 * segment '**' matches any number of directories (up to GLOB_MAX_DEPTH), or as the last segment any
 * path below.
 */
export function globToRegExp(pattern: string): RegExp {
  const segments = pattern.split('/');
  const body = segments
    .map((seg, i) => {
      const last = i === segments.length - 1;
      if (seg === '**') return last ? `[^/]+(?:/[^/]+){0,${GLOB_MAX_DEPTH}}` : `(?:[^/]+/){0,${GLOB_MAX_DEPTH}}`;
      return seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*') + (last ? '' : '/');
    })
    .join('');
  return new RegExp(`^${body}$`);
}
