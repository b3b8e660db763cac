import type { IncomingMessage, ServerResponse } from 'node:http'
import { cappedBody } from './capped-body.ts'
import type { DemoRoute } from './demo-server.ts'

const MAX_BODY_BYTES = 1024 * 1024

type ChatRequest = { model?: unknown; messages?: unknown; stream?: unknown }

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers })
  response.end(JSON.stringify(body))
}

function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return ''
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown }
    if (message?.role === 'user' && typeof message.content === 'string') return message.content
  }
  return ''
}

/** The words of the canned answer, each streamed as one delta. */
export function demoAnswer(question: string): string[] {
  const topic = question.trim() === '' ? 'your question' : `"${question.trim().slice(0, 60)}"`
  return `You asked ${topic}. This answer streams one word per chunk, like a chat completion API.`.split(
    /(?<= )/,
  )
}

function streamCompletion(
  request: IncomingMessage,
  response: ServerResponse,
  body: ChatRequest,
  intervalMs: number,
): void {
  const id = `chatcmpl-demo-${Date.now().toString(36)}`
  const model = typeof body.model === 'string' ? body.model : 'demo-model'
  const created = Math.floor(Date.now() / 1000)
  const question = lastUserText(body.messages)
  const words = demoAnswer(question)
  const promptTokens = question.split(/\s+/).length
  const chunk = (delta: object, finishReason: string | null = null, extra: object = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`
  const frames = [
    chunk({ role: 'assistant', content: '' }),
    ...words.map((word) => chunk({ content: word })),
    chunk({}, 'stop'),
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: { prompt_tokens: promptTokens, completion_tokens: words.length, total_tokens: words.length + promptTokens } })}\n\n`,
    'data: [DONE]\n\n',
  ]
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  let index = 0
  const timer = setInterval(() => {
    response.write(frames[index++]!)
    if (index >= frames.length) {
      clearInterval(timer)
      response.end()
    }
  }, intervalMs)
  response.on('close', () => clearInterval(timer))
}

/** POST /v1/chat/completions: needs a bearer token and a JSON body; streams OpenAI-style chunks. */
export const llmRoute: DemoRoute = {
  path: '/v1/chat/completions',
  description: 'POST, Authorization: Bearer <any>, JSON {"messages":[…],"stream":true}: OpenAI-style chunks.',
  handle(request, response, query) {
    if (request.method !== 'POST')
      return sendJson(response, 405, { error: { message: 'use POST' } }, { allow: 'POST' })
    const auth = request.headers.authorization ?? ''
    if (!/^Bearer \S+/.test(auth)) {
      return sendJson(response, 401, {
        error: { message: 'missing bearer token', type: 'invalid_request_error' },
      })
    }
    void cappedBody(request, MAX_BODY_BYTES).then((bytes) => {
      let body: ChatRequest
      try {
        body = JSON.parse(bytes.toString('utf8')) as ChatRequest
      } catch {
        return sendJson(response, 400, { error: { message: 'body must be JSON' } })
      }
      if (!Array.isArray(body.messages))
        return sendJson(response, 400, { error: { message: 'messages must be an array' } })
      const intervalMs = Math.max(1, Math.min(5000, Number(query.get('interval') ?? 30) || 30))
      streamCompletion(request, response, body, intervalMs)
    })
  },
}
