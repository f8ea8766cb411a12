import { describe, expect, it } from 'vitest';
import { buildSnippets } from '../../../src/renderer/src/features/server/snippets';

describe('Server page snippets', () => {
  const base = 'http://127.0.0.1:8080/v1';

  it('fills every client with the real base URL and model', () => {
    const snippets = buildSnippets({ baseUrl: base, model: 'hearth:tiny.gguf', keySet: false });
    expect(snippets.map((s) => s.id)).toEqual(['curl', 'python', 'js', 'continue', 'open-webui', 'copilot']);
    for (const s of snippets.filter((s) => s.id !== 'copilot')) {
      expect(s.text).toContain(base);
      if (s.id !== 'open-webui') expect(s.text).toContain('hearth:tiny.gguf');
      expect(s.text).not.toContain('HEARTH_KEY');
    }
    // Copilot's Ollama endpoint is the server root (it adds /api itself).
    expect(snippets.find((s) => s.id === 'copilot')?.text).toBe(
      '"github.copilot.chat.byok.ollamaEndpoint": "http://127.0.0.1:8080"',
    );
    const curl = snippets.find((s) => s.id === 'curl')!.text;
    expect(curl).toContain(`curl ${base}/chat/completions`);
    expect(curl).not.toContain('Authorization');
  });

  it('reads the key from the environment when one is required, never inlining it', () => {
    const snippets = buildSnippets({ baseUrl: base, model: 'm', keySet: true });
    const text = (id: string): string => snippets.find((s) => s.id === id)!.text;
    expect(text('curl')).toContain('-H "Authorization: Bearer $HEARTH_KEY"');
    expect(text('python')).toContain('api_key=os.environ["HEARTH_KEY"]');
    expect(text('python')).toMatch(/^import os/);
    expect(text('js')).toContain('apiKey: process.env.HEARTH_KEY');
    expect(text('continue')).toContain('apiKey: ${{ secrets.HEARTH_KEY }}');
    expect(snippets.find((s) => s.id === 'copilot')?.note).toContain('no key');
  });
});
