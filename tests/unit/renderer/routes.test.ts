import { describe, expect, it } from 'vitest';
import { resolveRoute } from '../../../src/renderer/src/app/routes';

describe('what an address shows', () => {
  it('opens on the chat once a model is installed, on the welcome page before', () => {
    expect(resolveRoute('', true)).toEqual({ page: 'chat', conversationId: null });
    expect(resolveRoute('', false)).toEqual({ page: 'home' });
    // Still reading the library: nothing yet, rather than a flash of the wrong page.
    expect(resolveRoute('', undefined)).toBeNull();
  });

  it('keeps the welcome page, a conversation and a model page reachable by address', () => {
    expect(resolveRoute('home', true)).toEqual({ page: 'home' });
    expect(resolveRoute('chat', false)).toEqual({ page: 'chat', conversationId: null });
    expect(resolveRoute('chat/a%2Fb', true)).toEqual({ page: 'chat', conversationId: 'a/b' });
    expect(resolveRoute('model/org%2Frepo', true)).toEqual({ page: 'discover', repo: 'org/repo' });
    expect(resolveRoute('settings', undefined)).toEqual({ page: 'settings' });
    expect(resolveRoute('nowhere', true)).toEqual({ page: 'home' });
  });
});
