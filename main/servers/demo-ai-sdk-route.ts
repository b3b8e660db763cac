import { cappedBody } from './capped-body.ts'
import { demoAnswer } from './demo-llm-route.ts'
import type { DemoRoute } from './demo-server.ts'

const MAX_BODY_BYTES = 1024 * 1024

/** The last user message's text: a UIMessage's text parts (AI SDK 5+), or a plain `content`. */
function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return ''
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown; parts?: unknown }
    if (message?.role !== 'user') continue
    if (typeof message.content === 'string') return message.content
    if (Array.isArray(message.parts))
      return message.parts
        .map((part: { type?: unknown; text?: unknown }) => (part?.type === 'text' ? String(part.text) : ''))
        .join('')
  }
  return ''
}

/** The parts of the canned answer as the AI SDK's UI message stream writes them (then [DONE]). */
export function aiSdkFrames(question: string): string[] {
  const parts: object[] = [
    { type: 'start', messageId: `msg-demo-${Date.now().toString(36)}` },
    { type: 'start-step' },
    { type: 'reasoning-start', id: 'reasoning-0' },
    { type: 'reasoning-delta', id: 'reasoning-0', delta: 'A demo: no model thinks here.' },
    { type: 'reasoning-end', id: 'reasoning-0' },
    { type: 'text-start', id: 'text-0' },
    ...demoAnswer(question).map((word) => ({ type: 'text-delta', id: 'text-0', delta: word })),
    { type: 'text-end', id: 'text-0' },
    { type: 'finish-step' },
    { type: 'finish', finishReason: 'stop' },
  ]
  return [...parts.map((part) => `data: ${JSON.stringify(part)}\n\n`), 'data: [DONE]\n\n']
}

/** POST /api/chat: what a Next.js route returns with toUIMessageStreamResponse(), as useChat reads it. */
export const aiSdkRoute: DemoRoute = {
  path: '/api/chat',
  description:
    'POST JSON {"messages":[…]} (UIMessages with text parts, or role/content): the Vercel AI SDK UI message stream, as useChat reads it. ?interval=ms',
  handle(request, response, query) {
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('use POST\n')
      return
    }
    void cappedBody(request, MAX_BODY_BYTES).then((bytes) => {
      let messages: unknown
      try {
        messages = (JSON.parse(bytes.toString('utf8')) as { messages?: unknown }).messages
      } catch {
        response.writeHead(400, { 'content-type': 'text/plain' }).end('body must be JSON\n')
        return
      }
      const frames = aiSdkFrames(lastUserText(messages))
      const intervalMs = Math.max(1, Math.min(5000, Number(query.get('interval') ?? 30) || 30))
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        'x-vercel-ai-ui-message-stream': 'v1',
        'x-accel-buffering': 'no',
      })
      let index = 0
      const timer = setInterval(() => {
        response.write(frames[index++]!)
        if (index < frames.length) return
        clearInterval(timer)
        response.end()
      }, intervalMs)
      response.on('close', () => clearInterval(timer))
    })
  },
}
