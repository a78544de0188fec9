// Every XML-model home of ../shared/corpus, tried as a new user would: the dry run writes nothing,
// its patch gives the bytes `fix --yes` writes, only lines that carry a hardened setting change,
// nothing is refused, and a second run plans nothing.
import { afterAll, describe, expect, it } from '@jest/globals';
import { planHome } from '../../src/run.js';
import { hasCorpus } from '../helpers/corpus.js';
import { cleanupTemps } from '../helpers/homes.js';
import { changedLines, tryAsUser } from '../helpers/as-user.js';
import { corpusHomes } from '../helpers/corpus-homes.js';

// A changed line must carry one of the settings the rules own (Secure Vault: an alias = ******** line of
// cipher-text.properties, or an alias = file//XPath line of cipher-tool.properties).
const HARDENED_LINE =
  /server=|sslEnabledProtocols=|\bprotocols=|\bciphers=|HttpsProtocols|PreferredCiphers|<\/?init-param>|<param-(name|value)>|-Djdk\.tls\.|hostnameVerifier|ignoreHostnameVerification|<Offset>|name="HostnameVerifier"|log4j\.appender\.|\bappender\.[\w-]+\.(filePattern|layout\.pattern)|^[-+]#?[\w.-]+=(?:\*{8}|[^\s=]+\/\/)/;

const xmlHomes = corpusHomes('xml');
afterAll(cleanupTemps);

(hasCorpus ? describe : describe.skip)('XML-model corpus homes', () => {
  it('finds the Carbon 4.4 and XML-mode homes', () => {
    expect(xmlHomes).toEqual(expect.arrayContaining(['apim-2.6.0', 'carbon-kernel-4.4.x', 'esb-5.0.0', 'ei-6.6.0', 'is-5.4.1', 'is-5.7.0', 'wild-1', 'wild-2']));
  });

  it.each(xmlHomes)('%s', async (label) => {
    const run = await tryAsUser(label);
    for (const line of changedLines(run.preview.stdout)) expect({ line, hardened: HARDENED_LINE.test(line) }).toEqual({ line, hardened: true });
    const again = planHome({ home: run.applied });
    expect(again.changes).toEqual([]);
    expect(again.findings.filter((f) => f.status === 'error' || f.status === 'fixable')).toEqual([]);
  });
});
