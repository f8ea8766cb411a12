/** What a snippet needs: where the API is, a model it has, and whether clients must send a key. */
export interface SnippetInput {
  /** The OpenAI base URL, ending in /v1. */
  baseUrl: string;
  model: string;
  keySet: boolean;
}

export interface Snippet {
  id: string;
  label: string;
  /** Where the text goes, in a few words. */
  where: string;
  text: string;
  /** A caveat worth saying next to it. */
  note?: string;
}

/** Clients read the key from HEARTH_KEY so it never sits in a pasted file; without one, any key will do. */
const KEY_ENV = 'HEARTH_KEY';

export function buildSnippets({ baseUrl, model, keySet }: SnippetInput): Snippet[] {
  const root = baseUrl.replace(/\/v1\/?$/, '');
  const body = JSON.stringify({ model, messages: [{ role: 'user', content: 'Hello!' }] });
  const pyKey = keySet ? `os.environ["${KEY_ENV}"]` : '"hearth"';
  const jsKey = keySet ? `process.env.${KEY_ENV}` : '"hearth"';
  const yamlKey = keySet ? `\${{ secrets.${KEY_ENV} }}` : 'hearth';
  return [
    {
      id: 'curl',
      label: 'curl',
      where: 'A terminal',
      text: [
        `curl ${baseUrl}/chat/completions \\`,
        `  -H "Content-Type: application/json" \\`,
        ...(keySet ? [`  -H "Authorization: Bearer $${KEY_ENV}" \\`] : []),
        `  -d '${body}'`,
      ].join('\n'),
    },
    {
      id: 'python',
      label: 'OpenAI Python',
      where: 'pip install openai',
      text: [
        ...(keySet ? ['import os', ''] : []),
        'from openai import OpenAI',
        '',
        `client = OpenAI(base_url="${baseUrl}", api_key=${pyKey})`,
        'reply = client.chat.completions.create(',
        `    model="${model}",`,
        '    messages=[{"role": "user", "content": "Hello!"}],',
        ')',
        'print(reply.choices[0].message.content)',
      ].join('\n'),
    },
    {
      id: 'js',
      label: 'OpenAI JS',
      where: 'npm install openai',
      text: [
        "import OpenAI from 'openai';",
        '',
        `const client = new OpenAI({ baseURL: '${baseUrl}', apiKey: ${jsKey} });`,
        'const reply = await client.chat.completions.create({',
        `  model: '${model}',`,
        "  messages: [{ role: 'user', content: 'Hello!' }],",
        '});',
        'console.log(reply.choices[0].message.content);',
      ].join('\n'),
    },
    {
      id: 'continue',
      label: 'Continue',
      where: '~/.continue/config.yaml',
      text: [
        'models:',
        `  - name: ${model} (Hearth)`,
        '    provider: openai',
        `    model: ${model}`,
        `    apiBase: ${baseUrl}`,
        `    apiKey: ${yamlKey}`,
        '    roles: [chat, edit, apply]',
      ].join('\n'),
    },
    {
      id: 'open-webui',
      label: 'Open WebUI',
      where: 'Admin settings › Connections › OpenAI API, or its environment',
      text: [
        `OPENAI_API_BASE_URL=${baseUrl} \\`,
        `OPENAI_API_KEY=${keySet ? `$${KEY_ENV}` : 'hearth'} \\`,
        'open-webui serve',
      ].join('\n'),
      note: 'In Docker, 127.0.0.1 is the container itself: share Hearth on the LAN and use this machine’s address.',
    },
    {
      id: 'copilot',
      label: 'VS Code Copilot',
      where: 'settings.json, then “Manage Models…” › Ollama',
      text: `"github.copilot.chat.byok.ollamaEndpoint": "${root}"`,
      note: keySet
        ? 'Copilot sends no key to an Ollama endpoint: it works only with Hearth on this machine without a key.'
        : undefined,
    },
  ];
}
