import { readJson } from '../api-body';
import { ClientGone, toApiError } from '../api-error';
import { generate, type Exchange } from '../generation';
import { sendJson, StreamOut } from '../http-out';
import { assertToolFormat } from '../tool-support';
import { responsesRequestFrom } from './responses-input';
import { isIncomplete, newId, outputOf, responseObject } from './responses-output';
import { responsesSchema } from './responses-schema';
import { ResponseEvents } from './responses-stream';
import type { OpenAiDeps } from './routes';

/**
 * POST /v1/responses, stateless: every request carries the whole conversation in `input` and
 * nothing is kept afterwards (store: false), so previous_response_id and conversation get a 400.
 * The reply is one response object, or with stream: true the Responses API's typed SSE events.
 */
export async function responses(
  deps: OpenAiDeps,
  ex: Exchange,
  headers: Record<string, string>,
): Promise<void> {
  const body = await readJson(ex.req, responsesSchema, deps.maxBodyBytes);
  const { request, tools } = responsesRequestFrom(body);
  const model = await deps.catalog.resolve(body.model);
  if (request.tools) assertToolFormat(model.model, 'tools');
  const meta = {
    id: newId('resp'),
    createdAt: Math.floor(Date.now() / 1000),
    body,
    request,
    tools,
  };

  if (body.stream !== true) {
    const result = await generate(deps, ex, model, request);
    const status = isIncomplete(result) ? 'incomplete' : 'completed';
    sendJson(ex.res, 200, responseObject(meta, { status, result }, outputOf(result)), headers);
    return;
  }

  const out = new StreamOut(ex.res, 'sse');
  const events = new ResponseEvents(ex.res, (state, output) => responseObject(meta, state, output));
  try {
    const result = await generate(deps, ex, model, request, {
      // Headers and response.created go out once the request holds a slot, as chat completions do.
      onStart: () => {
        out.start(headers);
        events.begin();
      },
      onChunk: (text, segment, call) => events.chunk(text, segment, call),
    });
    events.finish(result);
  } catch (error) {
    if (!out.started || error instanceof ClientGone) throw error;
    // Headers are gone: the failure travels as the stream's last event.
    events.fail(toApiError(error).message);
  } finally {
    if (out.started) out.end();
  }
}
