// Whether Carbon starts its JMX RMI server, read the way JMXServerManager reads it: Boolean.parseBoolean
// of the trimmed StartRMIServer text, so a missing element or any text but "true" means off.
import { childrenNamed, textOf, type XmlDoc, type XmlElement } from '../formats/xml/locate.js';

/** jmx.xml's <StartRMIServer> and whether it starts the server. */
export function rmiStartXml(doc: XmlDoc): { start: XmlElement | undefined; raw: string | undefined; on: boolean } {
  const start = childrenNamed(doc.root, 'StartRMIServer')[0];
  const raw = start ? textOf(doc, start) : undefined;
  return { start, raw, on: /^true$/i.test(raw ?? '') };
}

/** [monitoring.jmx] rmi_server_start as the jmx.xml template renders it: true or the string "true". */
export function rmiStartToml(value: unknown): boolean {
  return value === true || (typeof value === 'string' && /^\s*true\s*$/i.test(value));
}
