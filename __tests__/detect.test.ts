// Detection on the real homes: product, version, kernel and configuration model, per RULES.md §0.
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { detectProduct, DETECTION_LIST, DETECTION_READ } from '../src/engine/detect.js';
import { readHome } from '../src/io/read-home.js';
import { corpusRoot, hasCorpus } from './helpers/corpus.js';

const detect = (label: string) => detectProduct(readHome(join(corpusRoot, label), DETECTION_READ, DETECTION_LIST));

(hasCorpus ? describe : describe.skip)('detectProduct on corpus homes', () => {
  it.each([
    ['apim-2.6.0', 'wso2am', '2.6.0', '4.4.35', 'xml', ['repository/conf']],
    ['carbon-kernel-4.4.x', 'unknown', undefined, undefined, 'xml', ['repository/conf']],
    ['esb-5.0.0', 'wso2esb', '5.0.0', '4.4.8', 'xml', ['repository/conf']],
    ['is-5.4.1', 'wso2is', '5.4.1', '4.4.22', 'xml', ['repository/conf']],
    ['is-5.7.0', 'wso2is', '5.7.0', '4.4.35', 'xml', ['repository/conf']],
    ['ei-6.6.0', 'wso2ei', undefined, undefined, 'xml', ['conf', 'wso2/broker/conf', 'wso2/business-process/conf']],
    ['apim-4.5.0', 'wso2am', '4.5.0', '4.9.28', 'toml', ['repository/conf']],
    ['is-7.0.x', 'wso2is', undefined, '4.10.14', 'toml', ['repository/conf']],
    ['mi-4.3.0', 'wso2mi', undefined, undefined, 'mi', ['conf']],
  ])('%s', (label, id, version, kernel, model, confDirs) => {
    const p = detect(label);
    expect({ id: p.id, model: p.model, confDirs: p.confDirs }).toEqual({ id, model, confDirs });
    if (version) expect(p.version).toBe(version);
    if (kernel) expect(p.kernel).toBe(kernel);
    expect(p.evidence.length).toBeGreaterThan(0);
  });

  it('treats unfiltered ${carbon.version} / @product.version@ as unknown rather than a version', () => {
    expect(detect('carbon-kernel-4.4.x').kernel).toBeUndefined();
    expect(detect('ei-6.6.0').kernel).toBeUndefined();
    expect(detect('ei-6.6.0').version).toBeUndefined();
  });

  it('falls back to the product default.json when version.txt is absent', () => {
    expect(detect('apim-4.5.0').evidence).toContain('repository/resources/conf/default.json: server.serverDetails "WSO2 AM 4.5.0"');
    expect(detect('apim-4.5.0').evidence.join('\n')).toContain('kernel 4.9.28 inferred from WSO2 API Manager 4.5.0');
  });
});
