/**
 * A JSON integer in llama.cpp's grammar language (GBNF): an optional minus and at most 16 digits, no
 * exponent.
 */
const integerRule = '"-"? ("0" | [1-9] [0-9]{0,15})';

interface GbnfNumberLike {
  allowFractional: boolean;
  getGrammar(this: GbnfNumberLike): string;
}

const patched = Symbol.for('hearth.integerGrammar');

/**
 * node-llama-cpp 3.21 writes a JSON-schema `integer` as digits with an optional exponent, and the
 * exponent may be negative: a model can write `5e-1` (0.5), which its own check of the finished tool
 * call or reply then refuses ("Expected type integer but got number"), failing the request; with a
 * random-weight model about one forced call in six with an integer argument did. Its number terminal
 * is not exported, so it is reached by its file next to the package's entry (the same module
 * instance the library uses) and integers lose the exponent. Returns false when the file or the
 * class is not where 3.21 has it (another version): a test says so.
 */
export async function fixIntegerGrammar(): Promise<boolean> {
  let module: { GbnfNumber?: { prototype: Partial<GbnfNumberLike> & { [patched]?: true } } };
  try {
    const entry = import.meta.resolve('node-llama-cpp');
    module = (await import(new URL('./utils/gbnfJson/terminals/GbnfNumber.js', entry).href)) as typeof module;
  } catch {
    return false;
  }
  const prototype = module.GbnfNumber?.prototype;
  const original = prototype?.getGrammar;
  if (!prototype || typeof original !== 'function') return false;
  if (prototype[patched]) return true;
  prototype.getGrammar = function (this: GbnfNumberLike): string {
    return this.allowFractional ? original.call(this) : integerRule;
  };
  prototype[patched] = true;
  return true;
}
