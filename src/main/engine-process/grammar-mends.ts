/**
 * Two mends to node-llama-cpp 3.21's JSON-schema grammar (GBNF), where what its grammar lets a model
 * write and what its own check of the result accepts disagree, failing the request.
 *
 * Its grammar terminals are not exported, so they are reached through their module files beside the
 * package's entry: the same module instances the library uses.
 */

interface TerminalPrototype {
  getGrammar(this: unknown, ...args: unknown[]): string;
}

type Patchable = Partial<TerminalPrototype> & { [patched]?: true };

const patched = Symbol.for('hearth.grammarMend');

/** A JSON integer: an optional minus and at most 16 digits, no exponent. */
const integerRule = '"-"? ("0" | [1-9] [0-9]{0,15})';

/**
 * One character inside a JSON string. Besides what JSON forbids, it leaves out the code points that
 * llama.cpp's lenient UTF-8 decoding makes of invalid bytes (a lead byte F5-FF reads as a "code
 * point" past U+10FFFF, ED A0-BF as a surrogate): llama.cpp counts such a run as one character, the
 * text decodes it to several U+FFFD, and a `maxLength` string came out longer than allowed (with a
 * random-weight model, 4 of 30 bounded strings). Overlong forms (C0, E0 80…) still get through.
 */
const stringCharRule =
  '[^"\\\\\\x7F\\x00-\\x1F\\uD800-\\uDFFF\\U00110000-\\U003FFFFF] | "\\\\" ["\\\\/bfnrt] | "\\\\u" [0-9a-fA-F]{4}';

async function terminalPrototype(file: string, name: string): Promise<Patchable | undefined> {
  try {
    const entry = import.meta.resolve('node-llama-cpp');
    const module = (await import(new URL(`./utils/gbnfJson/terminals/${file}`, entry).href)) as Record<
      string,
      { prototype?: Patchable } | undefined
    >;
    const prototype = module[name]?.prototype;
    return typeof prototype?.getGrammar === 'function' ? prototype : undefined;
  } catch {
    return undefined;
  }
}

/**
 * - Integers: node-llama-cpp writes a JSON-schema `integer` as digits with an optional exponent, and
 *   the exponent may be negative: a model can write `5e-1` (0.5), which its check then refuses
 *   ("Expected type integer but got number"); 7 of 40 sampled forced tool calls with an integer
 *   argument failed so. Integers lose the exponent; fractions keep theirs.
 * - String characters: see `stringCharRule`.
 *
 * Says which mends are in place: false where a file or class is not where 3.21 has it (another
 * version), which a test catches.
 */
export async function mendJsonGrammar(): Promise<{ integer: boolean; stringChar: boolean }> {
  const [number, stringChar] = await Promise.all([
    terminalPrototype('GbnfNumber.js', 'GbnfNumber'),
    terminalPrototype('GbnfInsideStringChar.js', 'GbnfInsideStringChar'),
  ]);
  if (number && !number[patched]) {
    const original = number.getGrammar!;
    number.getGrammar = function (this: unknown, ...args: unknown[]): string {
      const fractional = (this as { allowFractional?: boolean }).allowFractional !== false;
      return fractional ? original.call(this, ...args) : integerRule;
    };
    number[patched] = true;
  }
  if (stringChar && !stringChar[patched]) {
    stringChar.getGrammar = () => stringCharRule;
    stringChar[patched] = true;
  }
  return { integer: number !== undefined, stringChar: stringChar !== undefined };
}
