import type { CheckRunOptions, Push } from '../../shared/api.ts'
import type { StreamRequest } from '../../shared/sse/stream-request.ts'

type Story = Extract<Push, { kind: 'check-rejoined' }>
type Outcome = NonNullable<Story['outcome']>

/** Check runs kept once done (a run's findings are a few kB). */
const MAX_KEPT_DONE = 50

/**
 * What each check run has said so far — its steps, then its outcome — so that a page reloaded while it
 * ran, or after, is given it back. Runs in progress are all kept; of those done, the latest 50.
 */
export class CheckRunStories {
  private readonly stories = new Map<string, Story>()

  /** A run starts: its steps and outcome are noted through what this returns, as they are pushed. */
  begin(
    runId: string,
    request: StreamRequest,
    options: CheckRunOptions,
  ): { step: (step: string) => number; end: (outcome: Outcome) => void } {
    const steps: string[] = []
    const story: Story = { kind: 'check-rejoined', runId, request, options, steps, startedAtMs: Date.now() }
    this.stories.set(runId, story)
    return {
      step: (step) => steps.push(step) - 1,
      end: (outcome) => {
        story.outcome = outcome
        this.forgetOldest()
      },
    }
  }

  /** A run as it stands (a copy), if kept. */
  storyOf(runId: string): Story | undefined {
    const story = this.stories.get(runId)
    return story && { ...story, steps: [...story.steps] }
  }

  /** The runs kept, oldest first. */
  ids(): string[] {
    return [...this.stories.keys()]
  }

  private forgetOldest(): void {
    for (const [runId, story] of this.stories) {
      if (this.stories.size <= MAX_KEPT_DONE) return
      if (story.outcome) this.stories.delete(runId)
    }
  }
}
