/**
 * What a machine can run, by the seeds' hardware tiers (seed 001): small, medium and large
 * models, judged by the GPU memory (or RAM, without a GPU).
 */
export interface Tier {
  id: 'cpu' | 'small' | 'medium' | 'large';
  title: string;
  why: string;
  examples: string[];
  expectedSpeed: string;
}

const GiB = 1024 ** 3;

export function tierFor(input: { bestVramBytes: number; unifiedMemory: boolean; ramBytes: number }): Tier {
  const memory = input.unifiedMemory ? input.ramBytes * 0.7 : input.bestVramBytes;
  if (memory <= 0) {
    return {
      id: 'cpu',
      title: 'Small models on the CPU',
      why: `No GPU Hearth can use: models run from your ${Math.round(input.ramBytes / GiB)} GB of RAM.`,
      examples: ['Llama 3.2 3B (Q5)', 'Phi-3 Mini (Q5)', 'TinyLlama 1.1B', 'Qwen2.5 1.5B'],
      expectedSpeed: '2-10 tokens/s',
    };
  }
  const gb = Math.round(memory / GiB);
  if (memory < 7.5 * GiB) {
    return {
      id: 'small',
      title: 'Small models (1B-4B), fast',
      why: `${gb} GB of GPU memory holds small models entirely; 7B-8B models fit partly.`,
      examples: ['Llama 3.2 3B', 'Phi-3 Mini', 'Qwen2.5 3B', 'Gemma 2 2B'],
      expectedSpeed: '30-80 tokens/s',
    };
  }
  if (memory < 15.5 * GiB) {
    return {
      id: 'medium',
      title: 'Medium models (7B-13B)',
      why: `${gb} GB of GPU memory runs 7B-8B models at Q4-Q6 entirely on the GPU, 13B at Q4.`,
      examples: ['Llama 3.1 8B (Q5)', 'Mistral 7B', 'Qwen2.5 7B', 'CodeLlama 13B (Q4)'],
      expectedSpeed: '15-60 tokens/s',
    };
  }
  return {
    id: 'large',
    title: 'Large models (30B-70B)',
    why: `${gb} GB of GPU memory runs 30B+ models, and 70B at Q4 with part of it in RAM.`,
    examples: ['Llama 3.1 70B (Q4)', 'Qwen2.5 72B (Q4)', 'Mixtral 8x7B', 'gpt-oss 20B'],
    expectedSpeed: '10-60 tokens/s',
  };
}
