/**
 * Text that came from a file (a model's name, architecture, tensor names, licence) or from a
 * file name is hostile: it may hold terminal escape sequences, bidi overrides that reorder what
 * is shown, or megabytes of text. `safeText` makes it fit to show in a message, a table or a
 * terminal: every control or invisible formatting character becomes a visible escape, and the
 * result is at most `maxLength` characters (ending in "…" when cut). It only looks at as much of
 * the input as it keeps, so a 16 MB name costs no more than a short one.
 */
export const defaultSafeTextLength = 200;

/** C0 and C1 controls and DEL; invisible direction marks, separators, bidi embeddings, overrides and isolates; BOM. */
function isUnsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x200b ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2060 && code <= 0x206f) ||
    code === 0xfeff ||
    (code >= 0xfff9 && code <= 0xfffb)
  );
}

function escapeCode(code: number): string {
  if (code === 0x0a) return '\\n';
  if (code === 0x09) return '\\t';
  if (code === 0x0d) return '\\r';
  const hex = code.toString(16);
  return code < 0x100 ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`;
}

export function safeText(value: string, maxLength = defaultSafeTextLength): string {
  const limit = Math.max(1, Math.floor(maxLength));
  let out = '';
  let index = 0;
  while (index < value.length) {
    const code = value.codePointAt(index) ?? 0;
    const width = code > 0xffff ? 2 : 1;
    const loneSurrogate = code >= 0xd800 && code <= 0xdfff;
    const piece = loneSurrogate || isUnsafe(code) ? escapeCode(code) : value.slice(index, index + width);
    // Keep room for the ellipsis while more characters follow.
    const room = index + width < value.length ? limit - 1 : limit;
    if (out.length + piece.length > room) return `${out}…`;
    out += piece;
    index += width;
  }
  return out;
}

/** True when `value` needs no escaping and fits: what safeText would return unchanged. */
export const isSafeText = (value: string, maxLength = defaultSafeTextLength): boolean =>
  safeText(value, maxLength) === value;
