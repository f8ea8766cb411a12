import {
  JinjaTemplateChatWrapper,
  resolveChatWrapper,
  type ChatWrapper,
  type ChatWrapperSettings,
  type LlamaModel,
} from 'node-llama-cpp';

const thinkTag = /<think>/;
/** The generation prompt itself opens `<think>` (DeepSeek-R1 style): the reply starts inside a thought. */
const generationOpensThought = /add_generation_prompt(?![\s\S]*add_generation_prompt)[\s\S]*<think>/;

/**
 * The model's own chat format. node-llama-cpp knows the reasoning formats of DeepSeek-R1, QwQ and
 * Qwen3; a template it maps to a plain format (a ChatML fine-tune that thinks in `<think>` tags,
 * say) would lose the thought segment, so such a template runs as-is with `<think>` marked up.
 */
export function chatWrapperFor(model: LlamaModel): ChatWrapper | undefined {
  const resolved = resolveChatWrapper(model) ?? undefined;
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  if (resolved?.settings.segments?.thought || typeof template !== 'string' || !thinkTag.test(template))
    return resolved;
  let wrapper: JinjaTemplateChatWrapper;
  try {
    wrapper = new JinjaTemplateChatWrapper({
      template,
      tokenizer: model.tokenizer,
      segments: { thoughtTemplate: '<think>{{content}}</think>' },
    });
  } catch {
    return resolved;
  }
  const thought = wrapper.settings.segments?.thought;
  if (thought && generationOpensThought.test(template)) {
    const settings: ChatWrapperSettings = {
      ...wrapper.settings,
      segments: { ...wrapper.settings.segments, thought: { ...thought, openOnResponseStart: true } },
    };
    // The wrapper reads its settings when it renders; the library offers no option for this one.
    Object.defineProperty(wrapper, 'settings', { value: settings });
  }
  return wrapper;
}
