import type { ChatResult } from '../../engine-process/protocol';
import { readJson } from '../api-body';
import { ApiError, ClientGone, toApiError } from '../api-error';
import type { ApiRoute } from '../api-server';
import { generate, type Exchange, type GenerateDeps } from '../generation';
import { sendJson } from '../http-out';
import type { ModelCatalog } from '../model-catalog';
import type { ApiModel } from '../model-names';
import { messageId, messageOut, promptOnly } from './message-out';
import { countTokensSchema, messagesSchema } from './schemas';
import { MessageEvents } from './stream-out';
import { chatRequestFrom, conversationFrom } from './translate';

export interface AnthropicDeps extends GenerateDeps {
  catalog: ModelCatalog;
  maxBodyBytes: number;
}

/** Names a 404 lists: enough to pick one, not the whole library of a collector. */
const listedNames = 20;

/**
 * The library model a request names. Claude Code sends its own model names unless told otherwise:
 * an unknown name is a 404 that names Hearth's models and the settings that choose one, never a
 * silent substitute.
 */
async function resolveModel(deps: AnthropicDeps, name: string): Promise<ApiModel> {
  try {
    return await deps.catalog.resolve(name);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    const names = (await deps.catalog.all()).filter((m) => m.model.hasChatTemplate).map((m) => m.alias);
    const list =
      names.length === 0
        ? "Hearth's library has no chat model yet: download one first"
        : `set ANTHROPIC_MODEL (and ANTHROPIC_DEFAULT_HAIKU_MODEL) to one of Hearth's models: ${names
            .slice(0, listedNames)
            .join(', ')}${names.length > listedNames ? ` and ${names.length - listedNames} more` : ''}`;
    throw new ApiError(
      404,
      `model: "${name.slice(0, 200)}" is not a model in Hearth's library; ${list}`,
      'model_not_found',
      'model',
    );
  }
}

/** POST /v1/messages: one reply, whole or as Anthropic's event stream. */
export async function createMessage(
  deps: AnthropicDeps,
  ex: Exchange,
  headers: Record<string, string>,
): Promise<void> {
  const body = await readJson(ex.req, messagesSchema, deps.maxBodyBytes);
  const model = await resolveModel(deps, body.model);
  const request = chatRequestFrom(body, model.model);
  const base = { id: messageId(), model: body.model };
  const stops = request.sampling.stop;
  const shown = body.max_tokens === 0 ? promptOnly : (result: ChatResult) => result;
  if (body.stream !== true) {
    const result = await generate(deps, ex, model, request);
    sendJson(ex.res, 200, messageOut(base, shown(result), stops), headers);
    return;
  }
  const events = new MessageEvents(ex.res);
  try {
    const result = await generate(deps, ex, model, request, {
      // message_start carries the prompt's tokens: counted once the model is loaded, before the reply.
      onStart: async () => {
        const inputTokens = await deps.engine.countTokens(
          { messages: request.messages, tools: request.tools },
          model.model.path,
        );
        events.start(headers, { ...base, inputTokens });
      },
      onChunk: (text, segment, call) => {
        if (body.max_tokens > 0) events.chunk(text, segment, call);
      },
    });
    events.finish(shown(result), stops);
  } catch (error) {
    if (!events.started || error instanceof ClientGone) throw error;
    // Headers are gone: the failure travels as an error event, which Anthropic's clients raise.
    events.fail(toApiError(error));
  } finally {
    if (events.started) events.end();
  }
}

/**
 * POST /v1/messages/count_tokens: the tokens the same body's conversation takes, rendered with the
 * model's chat template as a request would be. The model is loaded for it the way a reply loads
 * it; the slot is held only while the engine counts (nothing is generated).
 */
export async function countTokens(
  deps: AnthropicDeps,
  ex: Exchange,
  headers: Record<string, string>,
): Promise<void> {
  const body = await readJson(ex.req, countTokensSchema, deps.maxBodyBytes);
  const model = await resolveModel(deps, body.model);
  const { messages, tools } = conversationFrom(body, model.model);
  const release = await deps.scheduler.acquire(model.model, ex.signal);
  let inputTokens: number;
  try {
    inputTokens = await deps.engine.countTokens({ messages, tools }, model.model.path);
  } finally {
    release();
  }
  sendJson(ex.res, 200, { input_tokens: inputTokens }, headers);
}

/** The Anthropic endpoints, by path (Claude Code adds ?beta=true, which routing ignores). */
export function anthropicRoutes(deps: AnthropicDeps): Array<[string, ApiRoute]> {
  return [
    ['/v1/messages', { method: 'POST', handler: (ex, h) => createMessage(deps, ex, h) }],
    ['/v1/messages/count_tokens', { method: 'POST', handler: (ex, h) => countTokens(deps, ex, h) }],
  ];
}

/** Paths whose errors are written in Anthropic's shape. */
export const isAnthropicPath = (path: string): boolean =>
  path === '/v1/messages' || path.startsWith('/v1/messages/');
