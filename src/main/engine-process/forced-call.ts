import {
  LlamaText,
  type ChatWrapper,
  type ChatWrapperGenerateContextStateOptions,
  type ChatWrapperGeneratedContextState,
} from 'node-llama-cpp';

/**
 * The model's chat wrapper with the reply opened as a function call: the context ends with the
 * template's call prefix and node-llama-cpp starts in its function-name grammar (the mode it
 * uses for Functionary, whose replies open that way), so the reply can only be a call to one of
 * the functions it was given. That is how tool_choice "required" or a named function is kept
 * even by a model that would never call a tool on its own.
 */
export function forcedCallWrapper(inner: ChatWrapper): ChatWrapper {
  const generateContextState = (
    options: ChatWrapperGenerateContextStateOptions,
  ): ChatWrapperGeneratedContextState => {
    const state = inner.generateContextState(options);
    return {
      contextText: LlamaText([state.contextText, inner.settings.functions.call.prefix]),
      stopGenerationTriggers: state.stopGenerationTriggers,
      ignoreStartText: state.ignoreStartText,
      // No way out of the call: no text may disengage it.
      functionCall: { initiallyEngaged: true, disengageInitiallyEngaged: [] },
    };
  };
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'generateContextState') return generateContextState;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
