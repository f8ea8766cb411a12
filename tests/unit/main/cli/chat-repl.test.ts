import { describe, expect, it } from 'vitest';
import { ReplConversation } from '../../../../src/main/cli/chat-repl';
import type { Sampling } from '../../../../src/main/engine-process/protocol';

const sampling = (): Sampling => ({ temperature: 0.7, maxTokens: 2048, stop: [] });

describe('the terminal chat of hearth run (here and --remote)', () => {
  it('sends the system prompt, the history and the question, and remembers each answer', () => {
    const chat = new ReplConversation(sampling(), 'Be brief.');
    chat.remember('Hi', 'Hello!');
    expect(chat.messages('And you?')).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
      { role: 'user', content: 'And you?' },
    ]);
  });

  it('sets numbers it knows, refuses the rest without touching the settings', () => {
    const s = sampling();
    const chat = new ReplConversation(s);
    expect(chat.command('/set temperature 0')).toBe('Set temperature to 0.');
    expect(chat.command('/set top_k 40')).toBe('Set top_k to 40.');
    expect(chat.command('/set max_tokens 16')).toBe('Set max_tokens to 16.');
    for (const bad of ['/set temperature', '/set temperature hot', '/set top_k Infinity', '/set color red'])
      expect(chat.command(bad)).toMatch(/^Unknown setting/);
    expect(s).toEqual({ temperature: 0, topK: 40, maxTokens: 16, stop: [] });
  });

  it('clears the conversation with /clear and with a new system prompt, and knows no other commands', () => {
    const chat = new ReplConversation(sampling());
    chat.remember('one', 'two');
    expect(chat.command('/clear')).toBe('Cleared the conversation.');
    expect(chat.messages('q')).toEqual([{ role: 'user', content: 'q' }]);
    chat.remember('one', 'two');
    expect(chat.command('/set system You are a pirate.')).toMatch(/cleared the conversation/);
    expect(chat.messages('q')).toEqual([
      { role: 'system', content: 'You are a pirate.' },
      { role: 'user', content: 'q' },
    ]);
    expect(chat.command('/set system')).toMatch(/Set the system prompt/);
    expect(chat.messages('q')).toEqual([{ role: 'user', content: 'q' }]);
    expect(chat.command('/?')).toMatch(/\/set temperature/);
    expect(chat.command('/quit')).toBe('Unknown command /quit. /? lists them.');
  });
});
