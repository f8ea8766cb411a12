/** A Hugging Face model as people write it: `owner/repo`, `owner/repo:Q4_K_M`, or its hf.co link. */
export interface ModelRef {
  repo: string;
  quant?: string;
}

export function parseModelRef(ref: string): ModelRef {
  const cleaned = ref.trim().replace(/^(https?:\/\/)?(hf\.co|huggingface\.co)\//, '');
  const [repo, quant] = cleaned.split(':');
  return { repo: repo ?? '', quant: quant || undefined };
}
