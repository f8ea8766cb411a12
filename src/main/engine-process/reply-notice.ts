/**
 * Tokens held back past the end of a reply beyond this many are not a stop string or an end token
 * the library swallowed (those are a few tokens) but text it could not decode.
 */
const maxSilentTokens = 8;

/** Why a reply shows less than the model generated, or nothing at all; null when it shows it all. */
export function replyNotice(reply: {
  text: string;
  thought: string;
  generatedTokens: number;
  hiddenTokens: number;
  stopReason: string | undefined;
  /** Tokens of the longest stop string: a matched one is generated but never shown, rightly. */
  stopStringTokens?: number;
}): string | null {
  // U+FFFD is what a broken character decodes to: a reply of nothing else has nothing to read.
  const readable = reply.text.replaceAll('\uFFFD', '').trim();
  const empty = readable === '' && reply.thought.trim() === '';
  const hidden = reply.hiddenTokens > maxSilentTokens + (reply.stopStringTokens ?? 0);
  if (hidden || (empty && reply.text.includes('\uFFFD')))
    return empty
      ? `The model wrote ${reply.generatedTokens} tokens that are not readable text (broken characters), so there is nothing to show. The model file may be damaged, or its chat template wrong; try regenerating or another model.`
      : `The last ${reply.hiddenTokens} tokens the model wrote were not readable text (broken characters) and are left out.`;
  if (empty && reply.stopReason !== 'abort')
    return 'The model ended its reply without writing anything. Try regenerating, or rephrase the question.';
  return null;
}
