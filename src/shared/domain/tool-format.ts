/**
 * Whether a model can write tool calls in a format of its own: the library shows it, the API
 * answers 400 for `tools` without it (rather than improvising a format no client parses).
 */

/**
 * What a chat template that renders tools or calls contains: the `tools` variable (Qwen, Hermes,
 * Llama 3.1+, Mistral, Harmony, DeepSeek…), an assistant turn's `tool_calls`, Hermes's
 * `<tool_call>` tag, Mistral's `[TOOL_CALLS]`, Llama's `<|python_tag|>`, Gemma 4's `<|tool_call>`,
 * Functionary's `functions`.
 */
const toolMarkers = /\btools\b|tool_calls|<\|?tool_call>|\[TOOL_CALLS\]|<\|python_tag\|>|\bfunctions\b/;

/**
 * Models node-llama-cpp maps by name to a chat wrapper with its own call syntax even when the file
 * carries no template (resolveChatWrapper's lineage names: Llama 3.1-3.3, Mistral, gpt-oss,
 * Functionary, Gemma 4, Seed-OSS).
 */
const nativeCallers =
  /llama[ -_.]?3[._](?:[123])|mistral|codestral|gpt[ -_]?oss|functionary|gemma[ -_]?4|seed[ -_]?oss/i;

export function hasToolFormat(template: unknown, names: ReadonlyArray<string | null>): boolean {
  if (typeof template === 'string' && template.trim() !== '') return toolMarkers.test(template);
  return names.some((name) => name !== null && nativeCallers.test(name));
}
