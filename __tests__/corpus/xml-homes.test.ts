// Every XML-model home of ../shared/corpus, tried as a new user would: the dry run writes nothing,
// its patch gives the bytes `fix --yes` writes, only lines that carry a hardened setting change,
// nothing is refused, and a second run plans nothing.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { planHome } from '../../src/run.js';
import { corpusRoot, hasCorpus } from '../helpers/corpus.js';
import { runCli } from '../helpers/capture.js';
import { applyPatch, cleanupTemps, snapshotTree, tempCopy } from '../helpers/homes.js';

// A changed line must carry one of the settings the spine's rules own.
const HARDENED_LINE =
  /server=|sslEnabledProtocols=|\bprotocols=|\bciphers=|HttpsProtocols|PreferredCiphers|<\/?init-param>|<param-(name|value)>|-Djdk\.tls\.|hostnameVerifier|ignoreHostnameVerification|<Offset>/;

const labels = hasCorpus ? readdirSync(corpusRoot).filter((l) => statSync(join(corpusRoot, l)).isDirectory()).sort() : [];
const xmlHomes = labels.filter((l) => {
  try {
    return planHome({ home: join(corpusRoot, l), only: ['tomcat-server-header'] }).product.model === 'xml';
  } catch {
    return false;
  }
});

afterAll(cleanupTemps);

(hasCorpus ? describe : describe.skip)('XML-model corpus homes', () => {
  it('finds the Carbon 4.4 and XML-mode homes', () => {
    expect(xmlHomes).toEqual(expect.arrayContaining(['apim-2.6.0', 'carbon-kernel-4.4.x', 'esb-5.0.0', 'ei-6.6.0', 'is-5.4.1', 'is-5.7.0', 'wild-1', 'wild-2']));
  });

  it.each(xmlHomes)('%s', async (label) => {
    const dry = tempCopy(join(corpusRoot, label));
    const applied = tempCopy(join(corpusRoot, label));
    const original = snapshotTree(dry);

    const preview = await runCli(['fix', dry, '--dry-run']);
    expect(preview.stderr).not.toMatch(/refused|internal error/);
    expect([0, 1]).toContain(preview.code);
    expect(snapshotTree(dry)).toEqual(original);

    const changed = preview.stdout.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) [ab]\//.test(l));
    for (const line of changed) expect({ line, hardened: HARDENED_LINE.test(line) }).toEqual({ line, hardened: true });

    const fixed = await runCli(['fix', applied, '--yes']);
    expect([0, 1]).toContain(fixed.code);
    // A file whose changed line carries a secret is shown masked and cannot be patched; the rest must patch exactly.
    const masked = [...preview.stderr.matchAll(/^masked: (\S+)/gm)].map((m) => m[1]!);
    const sections = preview.stdoutBytes.toString('latin1').split(/(?=^--- a\/)/m).filter(Boolean);
    const patchable = sections.filter((sec) => !masked.some((p) => sec.startsWith(`--- a/${p}\n`)));
    for (const sec of sections.filter((x) => !patchable.includes(x))) {
      expect(sec).toContain('********');
      expect(sec).not.toMatch(/(keystorePass|truststorePass|password)="(?!\*)/i);
    }
    if (patchable.length) applyPatch(dry, Buffer.from(patchable.join(''), 'latin1'));
    const want = snapshotTree(applied);
    for (const p of masked) want.set(p, original.get(p)!);
    expect(snapshotTree(dry)).toEqual(want);

    const again = planHome({ home: applied });
    expect(again.changes).toEqual([]);
    expect(again.findings.filter((f) => f.status === 'error' || f.status === 'fixable')).toEqual([]);
  });
});
