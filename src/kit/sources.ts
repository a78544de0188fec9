// References several rules cite, written once so titles and addresses stay the same everywhere.
import type { Source } from '../engine/types.js';

export const SOURCES = {
  wso2Guidelines: {
    title: 'WSO2 API Manager: security guidelines for production deployment',
    url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/deployment-best-practices/security-guidelines-for-production-deployment/',
  },
  wso2Guidelines44: {
    title: 'WSO2 Carbon 4.4: security guidelines for production deployment',
    url: 'https://docs.wso2.com/display/ADMIN44x/Security+Guidelines+for+Production+Deployment',
  },
  mozillaTls: { title: 'Mozilla server-side TLS guidelines', url: 'https://wiki.mozilla.org/Security/Server_Side_TLS' },
  rfc8996: { title: 'RFC 8996: Deprecating TLS 1.0 and TLS 1.1', url: 'https://www.rfc-editor.org/rfc/rfc8996' },
  jsseGuide: {
    title: 'Java Secure Socket Extension (JSSE) reference guide',
    url: 'https://docs.oracle.com/en/java/javase/17/security/java-secure-socket-extension-jsse-reference-guide.html',
  },
  wso2EncryptedPasswords: {
    title: 'WSO2 API Manager: encrypting passwords with the cipher tool',
    url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/security/logins-and-passwords/working-with-encrypted-passwords/',
  },
  wso2EnvPasswords: {
    title: 'WSO2 API Manager: setting passwords with environment variables and system properties',
    url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/security/logins-and-passwords/set-passwords-using-vars-and-sys-props/',
  },
  wso2AdminPassword: {
    title: 'WSO2 API Manager: maintaining logins and passwords',
    url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/security/logins-and-passwords/maintaining-logins-and-passwords/',
  },
  wso2SecureVault44: {
    title: 'WSO2 Carbon 4.4: encrypting passwords with the cipher tool',
    url: 'https://docs.wso2.com/display/ADMIN44x/Encrypting+Passwords+with+Cipher+Tool',
  },
  biRuntimeSecurity: {
    title: 'WSO2 Integrator: runtime security',
    url: 'https://wso2.com/integration-platform/docs/deploy-operate/secure/runtime-security/',
  },
  ballerinaConfigurables: {
    title: 'Ballerina: configurable variables (Config.toml, BAL_CONFIG_FILES, BAL_CONFIG_DATA, BAL_CONFIG_VAR_*)',
    url: 'https://ballerina.io/learn/provide-values-to-configurable-variables/',
  },
} satisfies Record<string, Source>;
