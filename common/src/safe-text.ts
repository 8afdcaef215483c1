// SECURITY: control characters (NUL, escape sequences, line breaks) and bidi
// overrides in stored names corrupt logs, terminals and CSV exports and can
// disguise one name as another ("Trojan Source"); text fields refuse them.
const UNSAFE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/u;

const NAMES = new Map<number, string>([
  [0x00, 'NUL'],
  [0x09, 'tab'],
  [0x0a, 'line feed'],
  [0x0d, 'carriage return'],
  [0x1b, 'escape'],
  [0x7f, 'DEL'],
  [0x202d, 'left-to-right override'],
  [0x202e, 'right-to-left override'],
]);

/** "U+202E (right-to-left override) at position 3" for the first unsafe character, else undefined. */
export function findUnsafeCharacter(text: string): string | undefined {
  const match = UNSAFE.exec(text);
  if (!match) return undefined;
  const code = match[0].codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = NAMES.get(code) ?? (code < 0xa0 ? 'control character' : 'bidi control');
  return `${hex} (${name}) at position ${match.index + 1}`;
}

/** The zod refinement message for a text field: says what was found and what is allowed. */
export function unsafeTextMessage(text: string): string {
  return `must not contain control or bidi-override characters: found ${findUnsafeCharacter(text)}`;
}
