/**
 * Whether text holds anything a terminal could act on: C0 and C1 controls, DEL, bidi overrides
 * and isolates. Tab and newline pass when `lines` is set (a command's whole output).
 */
export function hasDangerousText(text: string, lines = false): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (lines && (code === 0x09 || code === 0x0a)) continue;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true;
  }
  return false;
}
