import type { LibraryModel } from '../../shared/contract';
import { ApiError } from './api-error';

/**
 * Every dialect refuses tools for a model whose chat template has no way to write a call:
 * the tools would be silently ignored (or the model would improvise a format no client parses).
 */
export function assertToolFormat(model: LibraryModel, param: string): void {
  if (model.toolCalls) return;
  throw new ApiError(
    400,
    `${model.name} has no tool-call format in its chat template; pick a model such as Qwen 2.5/3 or Llama 3.1+`,
    'tools_not_supported',
    param,
  );
}
