// A secret planted in a copy of the example APIM 2.6 home wherever the XML model keeps one (Tomcat keystore and
// truststore passwords, carbon.xml's keystore password, a -D flag in a start script), for tests that check it
// appears in no output.
import { CARBON, CATALINA, edit, example } from '../safety/helpers.js';
import { tempCopy } from './homes.js';

export const PLANTED_SECRET = 'Zq9-PLANTED-s3cr3t';

/** Every six-character piece of the secret: no output may hold even part of it. */
export const plantedPieces = (secret: string = PLANTED_SECRET): string[] => Array.from({ length: secret.length - 5 }, (_, i) => secret.slice(i, i + 6));

/** A temporary copy of the example home with `secret` written into four of its files. */
export function xmlHomeWithSecret(secret: string = PLANTED_SECRET): string {
  const home = tempCopy(example);
  edit(home, CATALINA, 'keystorePass="wso2carbon"', `keystorePass="${secret}"`);
  edit(home, CATALINA, 'sslEnabledProtocols="TLSv1,TLSv1.1,TLSv1.2"', `truststorePass="${secret}" sslEnabledProtocols="TLSv1,TLSv1.1,TLSv1.2"`);
  edit(home, CARBON, '<Password>wso2carbon</Password>', `<Password>${secret}</Password>`);
  edit(home, 'bin/wso2server.bat', '-Dhttpclient.hostnameVerifier=AllowAll', `-Dhttpclient.hostnameVerifier=AllowAll -Djavax.net.ssl.keyStorePassword="${secret}"`);
  return home;
}
