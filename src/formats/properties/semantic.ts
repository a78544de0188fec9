// What a .properties file *means*: its key → value map as Properties.load builds it (the last duplicate
// wins). Used to prove that an edit set exactly the intended keys to the intended values and changed,
// added or removed nothing else. Values are never quoted in the reasons: a properties file may hold passwords.
import { locateProperties, propertiesMap } from './locate.js';

/** Set (or add) one key to a decoded value. */
export type PropertiesIntent = { kind: 'properties-set'; key: string; value: string };

export function propertiesMeaning(text: string): Map<string, string> {
  return propertiesMap(locateProperties(text));
}

/** Undefined when `after` means `before` plus the intents, nothing more; else the reason it does not. */
export function verifyProperties(before: string, after: string, intents: readonly PropertiesIntent[]): string | undefined {
  const expected = new Map(propertiesMeaning(before));
  for (const i of intents) expected.set(i.key, i.value);
  const actual = propertiesMeaning(after);
  for (const [key, want] of expected) {
    if (!actual.has(key)) return `${key} is missing after the edit`;
    if (actual.get(key) !== want) {
      const intended = intents.find((i) => i.key === key);
      return intended ? `${key} should be ${JSON.stringify(intended.value)} after the edit, but is not` : `${key} changed but no intent says so`;
    }
  }
  for (const key of actual.keys()) if (!expected.has(key)) return `${key} was added but no intent says so`;
  return undefined;
}
