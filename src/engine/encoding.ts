// Text back to the bytes of its file: the same encoding and BOM it was read with (pure, no I/O).
import type { SourceFile } from './source-files.js';

/** Text in a file's own encoding, without its BOM (diffs of ISO-8859-1 files must stay ISO-8859-1). */
export function encodeText(text: string, encoding: SourceFile['encoding']): Buffer {
  return Buffer.from(text, encoding === 'latin1' ? 'latin1' : 'utf8');
}

/** The bytes a file holds when its text is `text`. */
export function encodeFile(file: SourceFile, text: string): Buffer {
  const body = encodeText(text, file.encoding);
  return file.bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}
