import { expect, test } from 'vitest'
import { tabNames } from '../../../renderer/src/tab-names.ts'

const get = (url: string) => ({ url })

test('tab names: method and path; where those repeat, the query parameters that tell the tabs apart', () => {
  expect(
    tabNames([
      get('http://h/ticker?interval=1000&tab=1'),
      get('http://h/ticker?interval=1000&tab=2'),
      get('http://h/ticker?interval=1000'),
      { method: 'POST', url: 'http://h/ticker?interval=1000' }, // another method: its own name
      get('http://h/other?x=1'),
    ]),
  ).toEqual(['GET /ticker?tab=1', 'GET /ticker?tab=2', 'GET /ticker', 'POST /ticker', 'GET /other'])
})

test('tab names: the same request twice is numbered; a replay is named by its recording; secrets stay out', () => {
  expect(
    tabNames([
      get('http://h/s?a=1'),
      get('http://h/s?a=1'),
      { url: 'http://h/s', recordingName: 'baseline' },
      { url: 'http://h/s', recordingName: 'baseline' },
      get('http://h/s?access_token=SECRET1'),
      get('not a url'),
    ]),
  ).toEqual([
    'GET /s?a=1',
    'GET /s?a=1 (2)',
    'Replay: baseline',
    'Replay: baseline (2)',
    expect.not.stringContaining('SECRET1'),
    'GET not a url',
  ])
})
