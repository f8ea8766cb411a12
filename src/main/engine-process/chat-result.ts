import type { LlamaModel } from 'node-llama-cpp';
import type { ChatResult, Sampling, ToolCall } from './protocol';
import { replyNotice } from './reply-notice';
import type { ReplyOutcome } from './session-reply';

function stopReasonOf(reason: string, calls: ToolCall[]): ChatResult['stopReason'] {
  if (reason === 'abort' || reason === 'maxTokens') return reason;
  if (reason === 'customStopTrigger') return 'stopString';
  return calls.length > 0 ? 'toolCalls' : 'eos';
}

/** How a reply went, as the engine measured it around the generation. */
export interface ReplyRun {
  outcome: ReplyOutcome;
  thought: string;
  sampling: Sampling;
  /** Older messages left out to fit, said as a notice. */
  trimNotice: string | null;
  /** The reply was capped at the end of the context (maxTokens lowered to what was left). */
  capped: boolean;
  contextSize: number;
  /** Context cells left for the reply when it started. */
  room: number;
  promptTokens: number;
  generatedTokens: number;
  /** Tokens node-llama-cpp handed on as text (the rest it held back as broken characters). */
  releasedTokens: number;
  started: number;
  firstTokenAt: number | undefined;
  ended: number;
}

/** The reply as the app gets it: text, thought, why it is less than the whole story, and its stats. */
export function chatResult(model: LlamaModel, run: ReplyRun): ChatResult {
  const { outcome, generatedTokens, promptTokens, started, ended } = run;
  const ttft = (run.firstTokenAt ?? ended) - started;
  // With no visible first token, the rate is over the whole reply rather than a division by ~0.
  const generating = Math.max(1e-3, ended - (run.firstTokenAt ?? started));
  const notices = [
    run.trimNotice,
    // Calls are the reply: their tokens are not text left out, nor is the text empty.
    outcome.toolCalls.length > 0
      ? null
      : replyNotice({
          text: outcome.responseText,
          thought: run.thought,
          generatedTokens,
          hiddenTokens: generatedTokens - run.releasedTokens,
          stopReason: outcome.stopReason,
          stopStringTokens: Math.max(0, ...run.sampling.stop.map((stop) => model.tokenize(stop).length)),
        }),
    run.capped && outcome.stopReason === 'maxTokens'
      ? `The reply stopped at the end of the ${run.contextSize}-token context.`
      : null,
  ].filter(Boolean);
  return {
    text: outcome.responseText,
    thought: run.thought,
    notice: notices.length > 0 ? notices.join(' ') : null,
    stopReason: stopReasonOf(outcome.stopReason, outcome.toolCalls),
    ...(outcome.stopSequence ? { stopSequence: outcome.stopSequence } : {}),
    ...(outcome.toolCalls.length > 0 ? { toolCalls: outcome.toolCalls } : {}),
    stats: {
      timeToFirstTokenMs: ttft,
      promptTokens,
      contextTokens: run.contextSize - run.room,
      promptTokensPerSecond: ttft > 0 ? (promptTokens * 1000) / ttft : 0,
      generatedTokens,
      generationTokensPerSecond: generatedTokens > 1 ? ((generatedTokens - 1) * 1000) / generating : 0,
      totalMs: ended - started,
    },
  };
}
