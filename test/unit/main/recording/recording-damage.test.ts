import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { createRecordPrinter } from '../../../../main/cli/record-printer.ts'
import { outputFromValues } from '../../../../main/cli/output-options.ts'
import { nodeStreamDeps } from '../../../../main/net/node-stream-deps.ts'
import { exportRecordingParts } from '../../../../main/recording/library-files.ts'
import { createRecorder } from '../../../../main/recording/recorder.ts'
import {
  isStreamRecord,
  readRecordingFile,
  readRecordingFileLazily,
} from '../../../../main/recording/recording-file.ts'
import { RecordingError } from '../../../../shared/recording/recording-format.ts'
import { openStream } from '../../../../shared/sse/open-stream.ts'
import { useDemoServer } from '../../../support/demo.ts'
import { seededRandom } from '../../../support/seeded-random.ts'

const demo = useDemoServer()
const dir = mkdtempSync(join(tmpdir(), 'recording-damage-'))

/** One kind of damage a file on disk meets: bytes changed, a cut, a piece lost, a value or its type changed. */
function damaged(random: () => number, good: Buffer): Buffer {
  const at = Math.floor(random() * good.length)
  const text = good.toString('latin1')
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  switch (Math.floor(random() * 5)) {
    case 0: {
      const bytes = Buffer.from(good)
      for (let i = 0; i < 4; i++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256)
      return bytes
    }
    case 1:
      return good.subarray(0, at)
    case 2:
      return Buffer.concat([good.subarray(0, at), good.subarray(at + Math.floor(random() * 200))])
    case 3: {
      const numbers = [...text.matchAll(/\d+/g)]
      const number = pick(numbers)
      const value = pick(['0', '-1', '1e300', '99999999999', 'null', '"7"', '[]', '{}'])
      return Buffer.from(
        text.slice(0, number.index) + value + text.slice(number.index + number[0].length),
        'latin1',
      )
    }
    default: {
      // A field's value replaced by one of another type.
      const fields = [...text.matchAll(/"\w+":("[^"]*"|\[\[.*?\]\]|\[\]|[-\d.e]+|true|false|null)/g)]
      const field = pick(fields)
      const value = pick(['null', '0', '"s"', '[]', '{}', 'true', '[["a"]]'])
      const name = field[0].slice(0, field[0].length - field[1]!.length)
      return Buffer.from(
        text.slice(0, field.index) + name + value + text.slice(field.index + field[0].length),
        'latin1',
      )
    }
  }
}

test('recording: any damage — bytes changed, cut, a piece lost, values of other types — is read, printed and exported, or refused as a recording error', async () => {
  // A recording with every stored kind: requests, opens, chunks, a cut mid-body, a reconnect, the close.
  const file = join(dir, 'good.rec')
  const request = {
    url: `${demo.url}/ticker?interval=2&count=12&breakAfter=5&retry=1`,
    headers: [['X-Team', 'qa']] as const,
    reconnect: { isEnabled: true, maxAttempts: 2 },
  }
  const recorder = createRecorder(file, request)
  const { deps, close } = nodeStreamDeps()
  await openStream(request, deps, (records) => recorder.write(records)).done
  await recorder.close()
  await close()
  const good = readFileSync(file)
  expect(good.toString()).toMatch(/"kind":"reconnect"/)

  const printers = ['human', 'json', 'llm'].map(
    (mode) => () =>
      createRecordPrinter(outputFromValues({ json: mode === 'json', llm: mode === 'llm' }), {
        isShowingSecrets: false,
        hasHeaders: true,
        hasRequestHeaders: true,
        hasColor: false,
        hasStderrColor: false,
      }),
  )
  let read = 0
  for (let seed = 1; seed <= 150; seed++) {
    const random = seededRandom(seed * 7)
    const mutant = join(dir, 'mutant.rec')
    writeFileSync(mutant, damaged(random, good))
    try {
      readRecordingFile(mutant)
      const lazy = readRecordingFileLazily(mutant)
      const records = [...lazy.records].filter(isStreamRecord)
      expect([...lazy.stored].length, `seed ${seed}`).toBeLessThanOrEqual(records.length)
      for (const printer of printers.map((make) => make())) {
        printer.print(records)
        printer.finish()
      }
      const exported = (['har', 'ndjson', 'sse'] as const).map((format) => [
        ...exportRecordingParts(mutant, format),
      ])
      expect(exported[0]!.length, `seed ${seed}: a HAR`).toBeGreaterThan(0)
      read++
    } catch (error) {
      expect(error, `seed ${seed}: ${(error as Error).stack}`).toBeInstanceOf(RecordingError)
    }
  }
  expect(read).toBeGreaterThan(100) // most damage is read past, not refused
})
