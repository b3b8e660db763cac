/** The streaming formats the assembler recognises. */
export type LlmFormat = 'openai-chat' | 'openai-responses' | 'anthropic' | 'gemini' | 'ai-sdk-ui' | 'custom'

/** A tool call as assembled from its streamed pieces. */
export type ToolCall = { key: string; id?: string; name: string; arguments: string }

/** The message as assembled so far. */
export type Assembled = {
  format: LlmFormat | undefined
  text: string
  reasoning: string
  toolCalls: ToolCall[]
  finishReason?: string
  usage?: { inputTokens?: number; outputTokens?: number; totalTokens?: number }
  model?: string
  /** From `startedAtMs` or the request (markRequestSent), else the first event, to the first text or reasoning. */
  timeToFirstTokenMs?: number
  /** Output tokens per second between the first and the last token (from usage when known). */
  tokensPerSecond?: number
  /** Data events that were not JSON or did not fit the format. */
  skipped: number
  errors: string[]
}

/** The part of an event the assembler reads. */
export type LlmEvent = { type: string; data: string; atMs: number }

type Json = Record<string, unknown>
const asObject = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)

/**
 * The parts of the Vercel AI SDK's UI message stream (`toUIMessageStreamResponse`, what `useChat`
 * reads) that tell it apart: its own hyphenated names (its `start`, `finish` and `error` are too
 * common to go by).
 */
const AI_SDK_UI_TYPES = new Set([
  'start-step',
  'text-start',
  'text-delta',
  'reasoning-start',
  'reasoning-delta',
  'tool-input-start',
  'tool-input-delta',
  'tool-input-available',
])

/** Which format one parsed event belongs to, if it says. */
export function detectFormat(json: Json, eventType: string): LlmFormat | undefined {
  const type = asString(json.type) ?? eventType
  if (
    json.object === 'chat.completion.chunk' ||
    asArray(json.choices).some((c) => asObject(asObject(c)?.delta))
  )
    return 'openai-chat'
  if (type.startsWith('response.')) return 'openai-responses'
  if (/^(message_start|message_delta|message_stop|content_block_(start|delta|stop))$/.test(type))
    return 'anthropic'
  if (Array.isArray(json.candidates) || asObject(json.usageMetadata)) return 'gemini'
  if (AI_SDK_UI_TYPES.has(type) || (type === 'start' && typeof json.messageId === 'string'))
    return 'ai-sdk-ui'
  return undefined
}

/** Reads a value by a dotted path ("choices.0.delta.content"). */
export function readPath(value: unknown, path: string): unknown {
  let node = value
  for (const part of path.split('.').filter(Boolean)) {
    if (Array.isArray(node)) node = node[Number(part)]
    else if (asObject(node)) node = (node as Json)[part]
    else return undefined
  }
  return node
}

/**
 * Assembles an LLM answer from its SSE events as they arrive: OpenAI Chat Completions and Responses,
 * Anthropic Messages, Google Gemini, the Vercel AI SDK's UI message stream — detected from the first
 * events — or a custom JSON path to the text delta. Push events in order; read `result` at any time.
 */
export class LlmAssembler {
  private format: LlmFormat | undefined
  private readonly customPath: string | undefined
  private text: string[] = []
  private reasoning: string[] = []
  private readonly calls = new Map<string, ToolCall>()
  private finishReason: string | undefined
  private usage: Assembled['usage']
  private model: string | undefined
  private skipped = 0
  private readonly errors: string[] = []
  private startedAtMs: number | undefined
  private firstTokenAtMs: number | undefined
  private lastTokenAtMs: number | undefined
  private deltas = 0
  private textTaken = 0 // pieces of text and reasoning already handed out by takeNew
  private reasoningTaken = 0
  // Anthropic content blocks and Responses output items: index → kind and tool-call key.
  private readonly blocks = new Map<string, { kind: 'text' | 'thinking' | 'tool'; key?: string }>()

  constructor(options: { customTextPath?: string; startedAtMs?: number } = {}) {
    this.customPath = options.customTextPath?.trim() || undefined
    if (this.customPath) this.format = 'custom'
    this.startedAtMs = options.startedAtMs
  }

  push(event: LlmEvent): void {
    this.startedAtMs ??= event.atMs
    const data = event.data.trim()
    if (data === '' || data === '[DONE]') return
    let json: Json | undefined
    try {
      json = asObject(JSON.parse(data))
    } catch {
      json = undefined
    }
    if (!json) {
      this.skipped++
      return
    }
    this.format ??= detectFormat(json, event.type)
    switch (this.format) {
      case 'openai-chat':
        return this.openAiChat(json, event.atMs)
      case 'openai-responses':
        return this.openAiResponses(json, event.type, event.atMs)
      case 'anthropic':
        return this.anthropic(json, event.type, event.atMs)
      case 'gemini':
        return this.gemini(json, event.atMs)
      case 'ai-sdk-ui':
        return this.aiSdkUi(json, event.atMs)
      case 'custom': {
        const delta = readPath(json, this.customPath!)
        if (typeof delta === 'string') this.addText(delta, event.atMs)
        else this.skipped++
        return
      }
      default:
        this.skipped++
    }
  }

  private addText(delta: string, atMs: number, isReasoning = false): void {
    if (delta === '') return
    ;(isReasoning ? this.reasoning : this.text).push(delta)
    this.firstTokenAtMs ??= atMs
    this.lastTokenAtMs = atMs
    this.deltas++
  }

  private call(key: string, atMs: number): ToolCall {
    let call = this.calls.get(key)
    if (!call) {
      call = { key, name: '', arguments: '' }
      this.calls.set(key, call)
      this.firstTokenAtMs ??= atMs
    }
    this.lastTokenAtMs = atMs
    return call
  }

  private openAiChat(json: Json, atMs: number): void {
    this.model ??= asString(json.model)
    for (const raw of asArray(json.choices)) {
      const choice = asObject(raw)
      if (!choice || (asNumber(choice.index) ?? 0) !== 0) continue
      const delta = asObject(choice.delta) ?? {}
      const content = asString(delta.content)
      if (content) this.addText(content, atMs)
      const reasoning = asString(delta.reasoning_content) ?? asString(delta.reasoning)
      if (reasoning) this.addText(reasoning, atMs, true)
      for (const rawCall of asArray(delta.tool_calls)) {
        const piece = asObject(rawCall) ?? {}
        const fn = asObject(piece.function) ?? {}
        const call = this.call(String(asNumber(piece.index) ?? 0), atMs)
        call.id ??= asString(piece.id)
        call.name += asString(fn.name) ?? ''
        call.arguments += asString(fn.arguments) ?? ''
      }
      const finish = asString(choice.finish_reason)
      if (finish) this.finishReason = finish
    }
    const usage = asObject(json.usage)
    if (usage) {
      this.usage = {
        inputTokens: asNumber(usage.prompt_tokens),
        outputTokens: asNumber(usage.completion_tokens),
        totalTokens: asNumber(usage.total_tokens),
      }
    }
  }

  private openAiResponses(json: Json, eventType: string, atMs: number): void {
    const type = asString(json.type) ?? eventType
    const itemKey = () => asString(json.item_id) ?? String(asNumber(json.output_index) ?? 0)
    switch (type) {
      case 'response.output_text.delta':
        return this.addText(asString(json.delta) ?? '', atMs)
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        return this.addText(asString(json.delta) ?? '', atMs, true)
      case 'response.output_item.added': {
        const item = asObject(json.item) ?? {}
        if (item.type === 'function_call') {
          const call = this.call(asString(item.id) ?? itemKey(), atMs)
          call.id = asString(item.call_id) ?? asString(item.id)
          call.name = asString(item.name) ?? ''
          call.arguments += asString(item.arguments) ?? ''
        }
        return
      }
      case 'response.function_call_arguments.delta':
        this.call(itemKey(), atMs).arguments += asString(json.delta) ?? ''
        return
      case 'response.function_call_arguments.done': {
        const full = asString(json.arguments)
        if (full !== undefined) this.call(itemKey(), atMs).arguments = full
        return
      }
      case 'response.created':
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed': {
        const response = asObject(json.response) ?? {}
        this.model ??= asString(response.model)
        if (type !== 'response.created')
          this.finishReason = asString(response.status) ?? type.slice('response.'.length)
        const usage = asObject(response.usage)
        if (usage) {
          this.usage = {
            inputTokens: asNumber(usage.input_tokens),
            outputTokens: asNumber(usage.output_tokens),
            totalTokens: asNumber(usage.total_tokens),
          }
        }
        const error = asObject(response.error)
        if (error) this.errors.push(asString(error.message) ?? JSON.stringify(error))
        return
      }
      case 'error':
        this.errors.push(asString(json.message) ?? JSON.stringify(json))
        return
    }
  }

  private anthropic(json: Json, eventType: string, atMs: number): void {
    const type = asString(json.type) ?? eventType
    const index = String(asNumber(json.index) ?? 0)
    switch (type) {
      case 'message_start': {
        const message = asObject(json.message) ?? {}
        this.model ??= asString(message.model)
        const usage = asObject(message.usage)
        if (usage)
          this.usage = {
            inputTokens: asNumber(usage.input_tokens),
            outputTokens: asNumber(usage.output_tokens),
          }
        return
      }
      case 'content_block_start': {
        const block = asObject(json.content_block) ?? {}
        if (block.type === 'tool_use' || block.type === 'server_tool_use') {
          const key = asString(block.id) ?? index
          const call = this.call(key, atMs)
          call.id = asString(block.id)
          call.name = asString(block.name) ?? ''
          this.blocks.set(index, { kind: 'tool', key })
        } else {
          this.blocks.set(index, { kind: block.type === 'thinking' ? 'thinking' : 'text' })
          const initial = asString(block.text) ?? asString(block.thinking)
          if (initial) this.addText(initial, atMs, block.type === 'thinking')
        }
        return
      }
      case 'content_block_delta': {
        const delta = asObject(json.delta) ?? {}
        if (delta.type === 'text_delta') this.addText(asString(delta.text) ?? '', atMs)
        else if (delta.type === 'thinking_delta') this.addText(asString(delta.thinking) ?? '', atMs, true)
        else if (delta.type === 'input_json_delta') {
          const key = this.blocks.get(index)?.key ?? index
          this.call(key, atMs).arguments += asString(delta.partial_json) ?? ''
        }
        return
      }
      case 'message_delta': {
        const delta = asObject(json.delta) ?? {}
        this.finishReason = asString(delta.stop_reason) ?? this.finishReason
        const usage = asObject(json.usage)
        if (usage)
          this.usage = {
            ...this.usage,
            outputTokens: asNumber(usage.output_tokens) ?? this.usage?.outputTokens,
          }
        return
      }
      case 'error': {
        const error = asObject(json.error) ?? {}
        this.errors.push(asString(error.message) ?? JSON.stringify(json))
        return
      }
    }
  }

  private gemini(json: Json, atMs: number): void {
    this.model ??= asString(json.modelVersion)
    const candidate = asObject(asArray(json.candidates)[0])
    const content = asObject(candidate?.content)
    asArray(content?.parts).forEach((raw, i) => {
      const part = asObject(raw) ?? {}
      const text = asString(part.text)
      if (text !== undefined) this.addText(text, atMs, part.thought === true)
      const fn = asObject(part.functionCall)
      if (fn) {
        const call = this.call(`${this.calls.size}:${i}`, atMs)
        call.name = asString(fn.name) ?? ''
        call.arguments = JSON.stringify(fn.args ?? {})
      }
    })
    const finish = asString(candidate?.finishReason)
    if (finish) this.finishReason = finish
    const usage = asObject(json.usageMetadata)
    if (usage) {
      this.usage = {
        inputTokens: asNumber(usage.promptTokenCount),
        outputTokens: asNumber(usage.candidatesTokenCount),
        totalTokens: asNumber(usage.totalTokenCount),
      }
    }
    const error = asObject(json.error)
    if (error) this.errors.push(asString(error.message) ?? JSON.stringify(error))
  }

  /** A part of the AI SDK's UI message stream: text, reasoning and tool inputs by id, errors as text. */
  private aiSdkUi(json: Json, atMs: number): void {
    const callId = asString(json.toolCallId) ?? ''
    switch (asString(json.type)) {
      case 'text-delta':
        return this.addText(asString(json.delta) ?? '', atMs)
      case 'reasoning-delta':
        return this.addText(asString(json.delta) ?? '', atMs, true)
      case 'tool-input-start': {
        const call = this.call(callId, atMs)
        call.id = callId
        call.name = asString(json.toolName) ?? call.name
        return
      }
      case 'tool-input-delta':
        this.call(callId, atMs).arguments += asString(json.inputTextDelta) ?? ''
        return
      case 'tool-input-available': {
        // The whole input, parsed: it replaces the pieces (a provider may send it without them).
        const call = this.call(callId, atMs)
        call.id = callId
        call.name = asString(json.toolName) ?? call.name
        call.arguments = JSON.stringify(json.input ?? {})
        return
      }
      case 'error':
      case 'tool-input-error':
      case 'tool-output-error':
        this.errors.push(asString(json.errorText) ?? JSON.stringify(json))
        return
      case 'finish':
        this.finishReason = asString(json.finishReason) ?? this.finishReason ?? 'finish'
        return
      case 'abort':
        this.finishReason = 'abort'
        return
    }
  }

  /**
   * The request asking for the answer went out at `atMs`: time to first token counts from there (a
   * model's queueing and prompt processing come before its first event). Later requests (reconnects)
   * do not restart it.
   */
  markRequestSent(atMs: number): void {
    this.startedAtMs ??= atMs // unless given, or set by the first event
  }

  /** The text and reasoning added since the last call: for printing an answer as it streams. */
  takeNew(): { text: string; reasoning: string } {
    const taken = {
      text: this.text.slice(this.textTaken).join(''),
      reasoning: this.reasoning.slice(this.reasoningTaken).join(''),
    }
    this.textTaken = this.text.length
    this.reasoningTaken = this.reasoning.length
    return taken
  }

  get result(): Assembled {
    const spanMs =
      this.firstTokenAtMs !== undefined && this.lastTokenAtMs !== undefined
        ? this.lastTokenAtMs - this.firstTokenAtMs
        : 0
    const tokens = this.usage?.outputTokens ?? undefined
    return {
      format: this.format,
      text: this.text.join(''),
      reasoning: this.reasoning.join(''),
      toolCalls: [...this.calls.values()].map((c) => ({ ...c })),
      finishReason: this.finishReason,
      usage: this.usage,
      model: this.model,
      timeToFirstTokenMs:
        this.firstTokenAtMs !== undefined && this.startedAtMs !== undefined
          ? this.firstTokenAtMs - this.startedAtMs
          : undefined,
      tokensPerSecond: tokens !== undefined && spanMs > 0 ? (tokens / spanMs) * 1000 : undefined,
      skipped: this.skipped,
      errors: [...this.errors],
    }
  }
}
