// One deployment.toml setting written as a finding: in place wherever it is already written (under any
// spelling key-mappings.json maps onto it), else added to its table or as a new table. Two rules that need
// the same new table (protocols and ciphers in [transport.https.sslHostConfig.properties]) do not clash:
// the engine plans each rule on the text the earlier ones left, so the later one finds the table there.
import type { Finding, TransformMeta } from '../engine/types.js';
import type { TomlWritable } from '../formats/toml/render.js';
import { writeSetting, type TomlConfig } from './deployment-toml.js';
import { fix, lineOf } from './findings.js';

/** `message` gets where the change goes, e.g. "[transport.https.sslHostConfig.properties] protocols". */
export function settingFix(
  t: TransformMeta,
  config: TomlConfig,
  canonical: string,
  writeAs: readonly string[],
  value: TomlWritable,
  message: (where: string) => string,
): Finding {
  const w = writeSetting(config, canonical, writeAs, value);
  return fix(t, config.path, lineOf(config.doc.text, w.edits[0]?.start ?? 0), message(w.where), w.edits, w.intents);
}
