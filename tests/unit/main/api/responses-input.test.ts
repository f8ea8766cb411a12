import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../src/main/api/api-error';
import { responsesRequestFrom } from '../../../../src/main/api/openai/responses-input';
import { responsesSchema } from '../../../../src/main/api/openai/responses-schema';

const translate = (body: object) => responsesRequestFrom(responsesSchema.parse({ model: 'm', ...body }));

/** The 400 a body gets, or a failure when it is accepted. */
function refusal(body: object): ApiError {
  try {
    translate(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    return error as ApiError;
  }
  throw new Error('accepted');
}

const tool = { type: 'function', name: 'get_weather', parameters: { type: 'object', properties: {} } };

describe('Responses API request translation', () => {
  it('reads instructions as the system turn and a string input as the user turn', () => {
    const { request } = translate({ instructions: 'Be brief.', input: 'Hi' });
    expect(request.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
    ]);
  });

  it('joins calls to the assistant turn before them, links outputs to calls, and drops reasoning', () => {
    const { request } = translate({
      input: [
        { role: 'developer', content: 'Rules.' },
        { role: 'user', content: [{ type: 'input_text', text: 'Weather?' }] },
        { type: 'reasoning', id: 'rs_1', summary: [], content: [{ type: 'reasoning_text', text: 'secret' }] },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Checking.' }] },
        { type: 'function_call', call_id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'c2', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'c1', output: 'sunny' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'snow' }] },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'Rules.' },
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: 'Checking.',
        toolCalls: [
          { id: 'c1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'c2', name: 'get_weather', arguments: '{"city":"Oslo"}' },
        ],
      },
      { role: 'tool', toolCallId: 'c1', content: 'sunny' },
      { role: 'tool', toolCallId: 'c2', content: 'snow' },
    ]);
    expect(JSON.stringify(request.messages)).not.toContain('secret');
  });

  it('a call with no assistant text before it is a turn of its own', () => {
    const { request } = translate({
      input: [
        { role: 'user', content: 'Go' },
        { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c1', output: 'done' },
      ],
    });
    expect(request.messages[1]).toEqual({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }],
    });
  });

  it('maps sampling, max_output_tokens and the reasoning effort', () => {
    const { request } = translate({ input: 'x', temperature: 0.2, top_p: 0.9, max_output_tokens: 50 });
    expect(request.sampling).toMatchObject({ temperature: 0.2, topP: 0.9, maxTokens: 50 });
    expect(request.sampling.maxThoughtTokens).toBeUndefined();
    expect(translate({ input: 'x', reasoning: { effort: 'none' } }).request.sampling.maxThoughtTokens).toBe(
      0,
    );
    expect(translate({ input: 'x', reasoning: { effort: 'low' } }).request.sampling.maxThoughtTokens).toBe(
      1024,
    );
    expect(translate({ input: 'x', reasoning: { effort: 'high' } }).request.sampling.maxThoughtTokens).toBe(
      undefined,
    );
  });

  it('reads function tools, tool_choice and text.format', () => {
    const forced = translate({
      input: 'x',
      tools: [tool],
      tool_choice: { type: 'function', name: 'get_weather' },
    });
    expect(forced.request.toolChoice).toEqual({ name: 'get_weather' });
    expect(forced.request.tools).toEqual([
      { name: 'get_weather', description: undefined, parameters: { type: 'object', properties: {} } },
    ]);
    expect(forced.tools).toEqual([tool]);
    const json = translate({ input: 'x', text: { format: { type: 'json_object' } } });
    expect(json.request.jsonSchema).toEqual({ type: 'object', additionalProperties: true });
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const typed = translate({ input: 'x', text: { format: { type: 'json_schema', name: 's', schema } } });
    expect(typed.request.jsonSchema).toEqual(schema);
    expect(translate({ input: 'x', text: { format: { type: 'text' } } }).request.jsonSchema).toBeUndefined();
  });

  it('refuses stored state, hosted tools, images and dangling turns, naming the field', () => {
    expect(refusal({ input: 'x', previous_response_id: 'resp_1' }).param).toBe('previous_response_id');
    expect(refusal({ input: 'x', conversation: { id: 'conv_1' } }).param).toBe('conversation');
    expect(refusal({ input: 'x', background: true }).param).toBe('background');
    expect(refusal({ input: [{ type: 'item_reference', id: 'msg_1' }] }).param).toBe('input.0');
    expect(refusal({ input: 'x', tools: [{ type: 'file_search', vector_store_ids: [] }] }).message).toContain(
      '"file_search"',
    );
    expect(refusal({ input: 'x', tools: [tool], tool_choice: { type: 'web_search_preview' } }).param).toBe(
      'tool_choice',
    );
    expect(refusal({ input: 'x', tool_choice: 'required' }).param).toBe('tool_choice');
    const file = refusal({ input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'f' }] }] });
    expect(file.param).toBe('input.0.content.0');
    expect(refusal({ input: [{ type: 'computer_call_output', call_id: 'c' }] }).param).toBe('input.0.type');
    expect(refusal({ input: [{ role: 'robot', content: 'x' }] }).param).toBe('input.0.role');
    expect(
      refusal({
        input: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: 'y' },
        ],
      }).param,
    ).toBe('input');
    const noObject = refusal({ input: 'x', tools: [{ ...tool, parameters: { type: 'string' } }] });
    expect(noObject.param).toBe('tools.0.parameters');
  });
});
