/**
 * What a GGUF file name says: its quant label (Q4_K_M, IQ4_XS, UD-Q2_K_XL…) and, for split
 * models, which part it is. Follows huggingface.js's parseGGUFQuantLabel (last match wins)
 * and its shard pattern.
 */

/** Largest to smallest (huggingface.js GGUF_QUANT_ORDER, the points Hearth knows). */
export const quantOrder = [
  'F32',
  'BF16',
  'F16',
  'Q8_K_XL',
  'Q8_0',
  'Q6_K_XL',
  'Q6_K',
  'Q5_K_XL',
  'Q5_K_M',
  'Q5_K_S',
  'Q5_0',
  'Q5_1',
  'Q4_K_XL',
  'Q4_K_M',
  'Q4_K_S',
  'Q4_0',
  'Q4_1',
  'IQ4_NL',
  'IQ4_XS',
  'MXFP4_MOE',
  'MXFP4',
  'Q3_K_XL',
  'Q3_K_L',
  'Q3_K_M',
  'Q3_K_S',
  'IQ3_M',
  'IQ3_S',
  'IQ3_XS',
  'IQ3_XXS',
  'Q2_K_XL',
  'Q2_K_L',
  'Q2_K',
  'Q2_K_S',
  'IQ2_M',
  'IQ2_S',
  'IQ2_XS',
  'IQ2_XXS',
  'IQ1_M',
  'IQ1_S',
  'TQ1_0',
  'TQ2_0',
  'Q1_0',
];

/** Every label the parser knows: the ordered ones plus bare K-quants and rare types. */
const quantNames = [...quantOrder, 'F64', 'Q8_1', 'Q8_K', 'Q5_K', 'Q4_K', 'Q3_K'];

const quantPattern = new RegExp(
  `(UD-)?(${[...quantNames].sort((a, b) => b.length - a.length).join('|')})(?:_([A-Z]+))?(?![A-Z0-9])`,
  'g',
);

export function parseQuantLabel(fileName: string): string | undefined {
  const base = (fileName.split('/').pop() ?? fileName).toUpperCase();
  let last: RegExpExecArray | undefined;
  for (const match of base.matchAll(quantPattern)) last = match;
  // A trailing size variation ("Q6_K_L") qualifies the quant but is not part of its label.
  return last?.[2] ? `${last[1] ?? ''}${last[2]}` : undefined;
}

export interface ShardInfo {
  prefix: string;
  index: number;
  total: number;
}

const shardPattern = /^(.*?)-(\d{5})-of-(\d{5})\.gguf$/i;

export function parseShard(path: string): ShardInfo | undefined {
  const match = shardPattern.exec(path);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  return { prefix: match[1], index: Number(match[2]), total: Number(match[3]) };
}

export const shardPath = (shard: ShardInfo, index: number): string =>
  `${shard.prefix}-${String(index).padStart(5, '0')}-of-${String(shard.total).padStart(5, '0')}.gguf`;

/** Files that sit beside models but are not chat models themselves. */
export const isAuxiliaryGguf = (path: string): boolean =>
  /(^|\/)(mmproj|imatrix|mtp-|eagle3-|dflash-|dspark-)/i.test(path);

export interface RepoFile {
  path: string;
  size: number;
  sha256?: string | null;
}

/** A downloadable model: one file, or all parts of a split one. */
export interface ModelVariant {
  quant: string;
  /** The first part's path: the file node-llama-cpp opens. */
  path: string;
  files: RepoFile[];
  sizeBytes: number;
  complete: boolean;
}

/** Groups a repo's GGUF files into variants, one per quant (splits joined), largest first. */
export function groupVariants(files: readonly RepoFile[]): ModelVariant[] {
  const variants = new Map<string, ModelVariant>();
  for (const file of files) {
    if (!/\.gguf$/i.test(file.path) || isAuxiliaryGguf(file.path)) continue;
    const shard = parseShard(file.path);
    const key = shard ? `${shard.prefix}|${shard.total}` : file.path;
    const quant = parseQuantLabel(shard ? shard.prefix : file.path) ?? 'unknown';
    const variant = variants.get(key) ?? {
      quant,
      path: shard ? shardPath(shard, 1) : file.path,
      files: [],
      sizeBytes: 0,
      complete: true,
    };
    variant.files.push(file);
    variant.sizeBytes += file.size;
    variants.set(key, variant);
  }
  for (const variant of variants.values()) {
    variant.files.sort((a, b) => a.path.localeCompare(b.path));
    const shard = parseShard(variant.path);
    variant.complete = !shard || variant.files.length === shard.total;
  }
  const rank = (q: string): number => {
    const i = quantOrder.indexOf(q.replace(/^UD-/, ''));
    return i < 0 ? quantOrder.length : i;
  };
  return [...variants.values()].sort((a, b) => rank(a.quant) - rank(b.quant) || a.path.localeCompare(b.path));
}
