// Passwords written in clear in the configuration (RULES §2.21) go under WSO2's Secure Vault: in
// deployment.toml into [secrets] as $secret{alias} references (toml.ts), in Carbon 4.4 XML through
// cipher-tool.properties and cipher-text.properties (xml.ts). Either way harden prepares the files and
// the operator runs bin/ciphertool.sh -Dconfigure, which does the encryption; harden never emulates it.
// Passwords the other credential rules own (shipped admin and keystore passwords, keys mapped to
// environment variables) are left to them (src/kit/secrets.ts).
import { tomlFiles } from '../../src/kit/deployment-toml.js';
import { SOURCES } from '../../src/kit/sources.js';
import { cipherTextPath, cipherToolPath } from '../../src/kit/secure-vault.js';
import type { Finding, Transform } from '../../src/engine/types.js';
import { tomlFindings } from './toml.js';
import { vaultXmlFiles, xmlFindings } from './xml.js';

export const secretsEncryption: Transform = {
  id: 'secrets-encryption',
  title: 'Passwords in the configuration are encrypted with Secure Vault',
  rationale:
    'A password written in clear in a configuration file is read by anyone who can read the file, its backups or the repository it is kept in. Secure Vault keeps only ciphertext in the files, decrypted with the server\'s key at start-up.',
  severity: 'medium',
  fixClass: 'GUIDED',
  sources: [SOURCES.wso2Guidelines, SOURCES.wso2EncryptedPasswords, SOURCES.wso2SecureVault44],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) =>
    product.model === 'xml'
      ? product.confDirs.flatMap((d) => [cipherToolPath(d), cipherTextPath(d), ...vaultXmlFiles(d)])
      : tomlFiles(product),
  params: [
    {
      name: 'secure-vault',
      description: 'prepare: move plaintext passwords into Secure Vault\'s input ([secrets] / cipher-text.properties); the server will not start until bin/ciphertool.sh -Dconfigure has run',
      validate: (v) => (v === 'prepare' ? undefined : 'the only value is "prepare"'),
    },
  ],
  plan(ctx) {
    const findings = ctx.product.model === 'xml' ? xmlFindings(this, ctx) : tomlFindings(this, ctx);
    if (ctx.param('secure-vault') === 'prepare') return findings;
    // Prepared files stop the server from starting until ciphertool has run, so an unattended fix must
    // not do it unasked: without the opt-in the same findings say what would be done.
    return findings.map((f): Finding => {
      if (f.status !== 'fixable') return f;
      const { edits: _edits, intents: _intents, ...rest } = f;
      return { ...rest, status: 'needs-input', message: `${f.message} (with --set secure-vault=prepare; the server then starts only after bin/ciphertool.sh -Dconfigure)` };
    });
  },
};
