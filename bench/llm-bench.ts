// Assembly of a 10k-chunk LLM stream (OpenAI Chat Completions format), events already framed.
import { LlmAssembler } from '../shared/llm/llm-assembler.ts'

const CHUNKS = 10_000
const events = Array.from({ length: CHUNKS }, (_, i) => ({
  type: 'message',
  atMs: i,
  data: JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created: 1731000000,
    model: 'gpt-4o',
    choices: [
      {
        index: 0,
        delta: { content: `token${i} ` },
        logprobs: null,
        finish_reason: i === CHUNKS - 1 ? 'stop' : null,
      },
    ],
  }),
}))
let best = Infinity
let length = 0
for (let round = 0; round < 5; round++) {
  const start = performance.now()
  const assembler = new LlmAssembler()
  for (const event of events) assembler.push(event)
  length = assembler.result.text.length
  best = Math.min(best, performance.now() - start)
}
console.log(
  `llm: assembled ${CHUNKS.toLocaleString('en')} chunks (${length.toLocaleString('en')} chars of text) in ${best.toFixed(1)} ms (best of 5; target < 50 ms)`,
)
