// Corpus labels grouped by the configuration model harden detects for them.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { detectProduct, DETECTION_LIST, DETECTION_READ } from '../../src/engine/detect.js';
import { readHome } from '../../src/io/read-home.js';
import type { ConfigModel } from '../../src/engine/types.js';
import { corpusRoot, hasCorpus } from './corpus.js';

export function corpusHomes(...models: ConfigModel[]): string[] {
  if (!hasCorpus) return [];
  return readdirSync(corpusRoot)
    .filter((l) => statSync(join(corpusRoot, l)).isDirectory())
    .filter((l) => models.includes(detectProduct(readHome(join(corpusRoot, l), DETECTION_READ, DETECTION_LIST)).model))
    .sort();
}
