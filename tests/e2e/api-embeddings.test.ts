import { join } from 'node:path';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bertTiny, writeEmbeddingModel } from '../fixtures/gguf/embedding-model';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { makeTempDir } from '../helpers/temp-dir';
import { writeTinyModel } from '../helpers/tiny-model';

const length = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));

/**
 * The built `hearth serve --embeddings-from-chat-models` (its bundled engine and CLI flag), with the
 * official clients: an embedding model's vectors, and a chat model's once the user opted in.
 */
describe('embeddings through the built app', () => {
  const dir = makeTempDir();
  let serve: ServeProcess;

  beforeAll(async () => {
    const models = join(dir.path, 'data', 'models');
    writeTinyModel(models);
    writeEmbeddingModel(join(models, 'embed.gguf'));
    serve = await startServe({
      dataDir: join(dir.path, 'data'),
      args: ['--embeddings-from-chat-models'],
      env: { HOME: join(dir.path, 'home') },
    });
  });
  afterAll(async () => {
    await serve?.stop();
    dir.cleanup();
  });

  it('ollama.embed and openai embeddings.create give the same unit vectors', async () => {
    const ollama = new Ollama({ host: new URL(serve.url).origin });
    const openai = new OpenAI({ baseURL: new URL('/v1', serve.url).href, apiKey: 'unused', maxRetries: 0 });
    const viaOllama = await ollama.embed({ model: 'embed', input: ['hello world', 'the cat sat'] });
    const viaOpenAi = await openai.embeddings.create({
      model: 'embed',
      input: ['hello world', 'the cat sat'],
    });
    for (const [i, vector] of viaOllama.embeddings.entries()) {
      expect(vector).toHaveLength(bertTiny.embedding);
      expect(length(vector)).toBeCloseTo(1, 5);
      Array.from(viaOpenAi.data[i]!.embedding).forEach((x, j) => expect(x).toBeCloseTo(vector[j]!, 5));
    }
    // The flag reached the API: the chat model answers too.
    const chat = await openai.embeddings.create({ model: 'tiny', input: 'hello', encoding_format: 'float' });
    expect(length(chat.data[0]!.embedding)).toBeCloseTo(1, 5);
  });
});
