import { describe, expect, it } from 'vitest';
import { replyNotice } from '../../../../src/main/engine-process/reply-notice';

const reply = { text: 'Hello', thought: '', generatedTokens: 20, hiddenTokens: 0, stopReason: 'eogToken' };

describe('what a reply tells the user beside its text', () => {
  it('says nothing when every generated token is shown', () => {
    expect(replyNotice(reply)).toBeNull();
    // An end token or a short stop string the library swallows is not text lost.
    expect(replyNotice({ ...reply, hiddenTokens: 1 })).toBeNull();
    expect(
      replyNotice({ ...reply, hiddenTokens: 30, stopReason: 'customStopTrigger', stopStringTokens: 30 }),
    ).toBeNull();
  });

  it('explains an empty reply, whether the model wrote nothing or nothing readable', () => {
    expect(replyNotice({ ...reply, text: '  \n' })).toMatch(/ended its reply without writing anything/);
    expect(replyNotice({ ...reply, text: '', hiddenTokens: 20, stopReason: 'maxTokens' })).toMatch(
      /wrote 20 tokens that are not readable text .*nothing to show/,
    );
    // Broken characters alone are nothing to read either.
    expect(replyNotice({ ...reply, text: '\uFFFD \uFFFD', stopReason: 'eogToken' })).toMatch(
      /not readable text .*nothing to show/,
    );
    // A thought alone is something to show.
    expect(replyNotice({ ...reply, text: '', thought: 'hmm' })).toBeNull();
    // The user stopped it before anything came: nothing to explain.
    expect(replyNotice({ ...reply, text: '', stopReason: 'abort' })).toBeNull();
  });

  it('says how much of a reply was left out when its end was not readable', () => {
    expect(replyNotice({ ...reply, hiddenTokens: 300, stopReason: 'maxTokens' })).toMatch(
      /last 300 tokens .* left out/,
    );
  });
});
