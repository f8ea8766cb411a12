/**
 * Child process of the estimator accuracy bench: loads one model on the CPU with node-llama-cpp,
 * runs a full micro-batch so every weight page and the compute buffers are touched, and reports
 * how much the process grew (RSS). Run alone so nothing else shares its memory.
 */
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';

const [modelPath, contextArg, threadsArg] = process.argv.slice(2);
if (!modelPath || !contextArg) throw new Error('usage: memory-probe <model.gguf> <contextSize> [threads]');
const contextSize = Number(contextArg);

const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
global.gc?.();
const before = process.memoryUsage().rss;
// Without mmap: weights the CPU repacks would otherwise count twice (the copy, plus the file's
// pages that stay cached but are reclaimable), which is not memory the model needs.
const model = await llama.loadModel({ modelPath, gpuLayers: 0, useMmap: false });
const context = await model.createContext({
  contextSize,
  threads: Number(threadsArg ?? 2),
  flashAttention: true,
});
const sequence = context.getSequence();
// A prompt of one full micro-batch (512 tokens) exercises the worst-case compute graph.
const tokens = Array.from({ length: Math.min(512, contextSize - 8) }, (_, i) => 300 + (i % 200));
const iterator = sequence.evaluate(tokens as never, { temperature: 0 });
await iterator.next();
await iterator.return?.(undefined);
const after = process.memoryUsage().rss;
process.send?.({
  growthBytes: after - before,
  contextSize: context.contextSize,
  flashAttention: context.flashAttention,
});
await context.dispose();
await model.dispose();
await llama.dispose();
