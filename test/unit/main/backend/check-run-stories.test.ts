import { expect, test } from 'vitest'
import { CheckRunStories } from '../../../../main/backend/check-run-stories.ts'

test('check run stories: steps and outcome as they come; every run in progress kept, of those done the latest 50', () => {
  const stories = new CheckRunStories()
  const request = { url: 'http://127.0.0.1:9/stream' }
  const runs = Array.from({ length: 60 }, (_, i) => stories.begin(`run${i}`, request, { durationMs: 1000 }))
  expect(runs[0]!.step('connecting')).toBe(0)
  expect(runs[0]!.step('observing the stream for 1 s')).toBe(1)
  const copy = stories.storyOf('run0')!
  expect(copy).toMatchObject({
    runId: 'run0',
    request,
    steps: ['connecting', 'observing the stream for 1 s'],
  })
  runs[0]!.step('probing resume')
  expect(copy.steps).toHaveLength(2) // a copy: what was sent does not change under the page
  for (let i = 0; i < 55; i++) runs[i]!.end({ kind: 'check-error', runId: `run${i}`, message: 'refused' })
  expect(stories.ids()).toHaveLength(50)
  expect(stories.ids()[0]).toBe('run10')
  expect(stories.ids().slice(-5)).toEqual(['run55', 'run56', 'run57', 'run58', 'run59'])
  expect(stories.storyOf('run0')).toBeUndefined()
  expect(stories.storyOf('run54')?.outcome).toEqual({
    kind: 'check-error',
    runId: 'run54',
    message: 'refused',
  })
})
