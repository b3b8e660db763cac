import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { LlmAssembler, readPath } from '../../../../shared/llm/llm-assembler.ts'
import { createFramer } from '../../../../shared/sse/framer.ts'
import type { EventRecord, StreamRecord } from '../../../../shared/sse/stream-records.ts'

/** Frames a recorded provider stream (as real bytes, cut into small chunks) and assembles it. */
function assemble(file: string, chunkBytes = 7, options: ConstructorParameters<typeof LlmAssembler>[0] = {}) {
  const bytes = readFileSync(new URL(`../../../fixtures/llm/${file}`, import.meta.url))
  const seqs = { next: 0 }
  const framer = createFramer({ maxEventBytes: 1 << 20, lastEventId: '', seqs })
  const records: StreamRecord[] = []
  for (let i = 0; i < bytes.length; i += chunkBytes) {
    framer.push(
      bytes.subarray(i, i + chunkBytes),
      { chunkSeq: seqs.next++, atMs: 1000 + i, attempt: 0 },
      records,
    )
  }
  const assembler = new LlmAssembler({ startedAtMs: 1000, ...options })
  for (const record of records) if (record.kind === 'event') assembler.push(record as EventRecord)
  return assembler.result
}

test('llm: OpenAI Chat Completions with a streamed tool call and usage', () => {
  const result = assemble('openai-chat.sse')
  expect(result).toMatchObject({
    format: 'openai-chat',
    text: 'Let me check the weather.',
    finishReason: 'tool_calls',
    model: 'gpt-4o-2024-08-06',
  })
  expect(result.toolCalls).toEqual([
    { key: '0', id: 'call_abc', name: 'get_weather', arguments: '{"location": "Paris"}' },
  ])
  expect(JSON.parse(result.toolCalls[0]!.arguments)).toEqual({ location: 'Paris' })
  expect(result.usage).toEqual({ inputTokens: 82, outputTokens: 17, totalTokens: 99 })
  expect(result.timeToFirstTokenMs).toBeGreaterThan(0)
  expect(result.tokensPerSecond).toBeGreaterThan(0)
  expect(result.skipped).toBe(0)
})

test('llm: OpenAI Responses with reasoning summary, text and a function call', () => {
  const result = assemble('openai-responses.sse')
  expect(result).toMatchObject({
    format: 'openai-responses',
    text: 'Hello, world!',
    reasoning: 'The user wants a greeting.',
    finishReason: 'completed',
  })
  expect(result.toolCalls).toEqual([
    { key: 'fc_1', id: 'call_xyz', name: 'lookup', arguments: '{"q":"sse"}' },
  ])
  expect(result.usage).toEqual({ inputTokens: 20, outputTokens: 30, totalTokens: 50 })
})

test('llm: Anthropic Messages with thinking, text, a tool use with split JSON, and the stop reason', () => {
  const result = assemble('anthropic.sse', 3)
  expect(result).toMatchObject({
    format: 'anthropic',
    text: 'Okay, let me check.',
    reasoning: 'I should call the tool.',
    finishReason: 'tool_use',
    model: 'claude-sonnet-4-20250514',
  })
  expect(result.toolCalls).toEqual([
    { key: 'toolu_01', id: 'toolu_01', name: 'get_weather', arguments: '{"location": "San Francisco, CA"}' },
  ])
  expect(result.usage).toEqual({ inputTokens: 472, outputTokens: 89 })
})

test('llm: Google Gemini with thought parts, text and a function call', () => {
  const result = assemble('gemini.sse', 11)
  expect(result).toMatchObject({
    format: 'gemini',
    text: 'Why did the SSE stream cross the road?',
    reasoning: 'Thinking about it',
    finishReason: 'STOP',
  })
  expect(result.toolCalls).toEqual([{ key: '0:0', name: 'tell_joke', arguments: '{"topic":"roads"}' }])
  expect(result.usage).toEqual({ inputTokens: 9, outputTokens: 12, totalTokens: 21 })
})

test("llm: the Vercel AI SDK's UI message stream (useChat's): reasoning, text, a tool input in pieces, the finish", () => {
  const result = assemble('ai-sdk-ui.sse', 5)
  expect(result).toMatchObject({
    format: 'ai-sdk-ui',
    text: 'Let me check.',
    reasoning: 'The user asks about the weather.',
    finishReason: 'tool-calls',
    skipped: 0,
    errors: [],
  })
  expect(result.toolCalls).toEqual([
    { key: 'call_1', id: 'call_1', name: 'getWeather', arguments: '{"city":"Paris"}' },
  ])
  // An error part is said as its text; a stream without a finish reason still says it finished.
  const assembler = new LlmAssembler({ startedAtMs: 0 })
  for (const [i, data] of [
    '{"type":"start"}',
    '{"type":"text-delta","id":"t","delta":"Hi"}',
    '{"type":"error","errorText":"rate limited"}',
    '{"type":"finish"}',
  ].entries())
    assembler.push({ type: 'message', data, atMs: i })
  expect(assembler.result).toMatchObject({
    format: 'ai-sdk-ui',
    text: 'Hi',
    errors: ['rate limited'],
    finishReason: 'finish',
    skipped: 1, // a start without a messageId says nothing of its format
  })
})

test('llm: a custom JSON path for other formats; non-JSON data is counted, not fatal', () => {
  const assembler = new LlmAssembler({ customTextPath: 'output.0.token' })
  assembler.push({ type: 'message', data: '{"output":[{"token":"Hel"}]}', atMs: 1 })
  assembler.push({ type: 'message', data: 'not json', atMs: 2 })
  assembler.push({ type: 'message', data: '{"output":[{"token":"lo"}]}', atMs: 3 })
  expect(assembler.result).toMatchObject({ format: 'custom', text: 'Hello', skipped: 1 })
  expect(readPath({ a: [{ b: 'x' }] }, 'a.0.b')).toBe('x')
})

test('llm: the demo server chat stream assembles to its answer', () => {
  const assembler = new LlmAssembler()
  const words = ['You ', 'asked ', '"hi".']
  assembler.push({
    type: 'message',
    data: JSON.stringify({
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' } }],
    }),
    atMs: 0,
  })
  words.forEach((w, i) =>
    assembler.push({
      type: 'message',
      data: JSON.stringify({
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: { content: w } }],
      }),
      atMs: i + 1,
    }),
  )
  assembler.push({ type: 'message', data: '[DONE]', atMs: 9 })
  expect(assembler.result.text).toBe('You asked "hi".')
})

test('llm: takeNew hands out each piece of text and reasoning once, in order', () => {
  const assembler = new LlmAssembler()
  const chat = (content: string, atMs: number) => ({
    type: 'message',
    atMs,
    data: JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] }),
  })
  assembler.push(chat('Hel', 1))
  assembler.push(chat('lo', 2))
  expect(assembler.takeNew()).toEqual({ text: 'Hello', reasoning: '' })
  expect(assembler.takeNew()).toEqual({ text: '', reasoning: '' })
  assembler.push(chat(' world', 3))
  expect(assembler.takeNew()).toEqual({ text: ' world', reasoning: '' })
  expect(assembler.result.text).toBe('Hello world')
})

test('llm: time to first token counts from the request when it is marked, not from the first event', () => {
  const chunk = (delta: object, atMs: number) => ({
    type: 'message',
    atMs,
    data: JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta }] }),
  })
  const fromRequest = new LlmAssembler()
  fromRequest.markRequestSent(1000)
  fromRequest.push(chunk({ role: 'assistant', content: '' }, 1800)) // queueing and prompt processing before
  fromRequest.push(chunk({ content: 'Hi' }, 1850))
  fromRequest.markRequestSent(5000) // a reconnect's request does not restart it
  expect(fromRequest.result.timeToFirstTokenMs).toBe(850)
  const fromFirstEvent = new LlmAssembler()
  fromFirstEvent.push(chunk({ role: 'assistant', content: '' }, 1800))
  fromFirstEvent.push(chunk({ content: 'Hi' }, 1850))
  expect(fromFirstEvent.result.timeToFirstTokenMs).toBe(50)
})
