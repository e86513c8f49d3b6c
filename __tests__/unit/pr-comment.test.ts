import { describe, expect, it } from '@jest/globals'
import { TEST_TIMING_ENV } from '../../src/constants.js'
import { commentBody, commentMarker, githubTimeoutMs } from '../../src/report/pr-comment.js'

const RUN = {
  runUrl: 'https://github.com/acme/robots/actions/runs/1',
  sha: 'abcdef0123456789',
  commitUrl: 'https://github.com/acme/robots/commit/abcdef0123456789'
}

describe('the plan comment, in pieces', () => {
  it('the marker names the manifest as a path from the workspace root, and the app', () => {
    expect(commentMarker({ manifestPath: './config//robots.yaml', sdkappid: '1400000000' })).toBe(
      '<!-- create-chat-robots plan: manifest=config%2Frobots.yaml sdkappid=1400000000 -->'
    )
    expect(commentMarker({ manifestPath: 'x-->\n<b>', sdkappid: '1 -->' })).toBe(
      '<!-- create-chat-robots plan: manifest=x%2D%2D%3E%0A%3Cb%3E sdkappid=1%20%2D%2D%3E -->'
    )
  })

  it('a plan that fits is posted whole, with the commit and the run', () => {
    const body = commentBody('<!-- m -->', '<h2>Plan</h2>\n', RUN)
    expect(body).toBe(
      '<!-- m -->\n<h2>Plan</h2>\n<p><sub>Planned at <a href="https://github.com/acme/robots/commit/abcdef0123456789"><code>abcdef0</code></a> by <a href="https://github.com/acme/robots/actions/runs/1">the workflow run</a>.</sub></p>\n'
    )
  })

  it('a plan that does not fit is cut to 65,536 characters, counting astral characters twice', () => {
    const summary = `<h2>Plan</h2>\n<table>\n${'<tr><td>😀😀😀😀😀😀😀😀😀😀</td></tr>\n'.repeat(5000)}</table>\n`
    const body = commentBody('<!-- m -->', summary, RUN)
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toContain('The full plan is in the job summary of <a href="https://github.com/acme/robots/actions/runs/1">the workflow run</a>.')
    expect(body.endsWith('</sub></p>\n')).toBe(true)
  })

  it('the GitHub API deadline can be shortened by the test timing, never lengthened past 20 s', () => {
    const timing = (value: unknown) => ({ [TEST_TIMING_ENV]: JSON.stringify({ githubTimeoutMs: value }) })
    expect(githubTimeoutMs({})).toBe(20_000)
    expect(githubTimeoutMs(timing(250))).toBe(250)
    for (const value of [999_999, -1, 0, 'soon', null]) expect(githubTimeoutMs(timing(value))).toBe(20_000)
    expect(githubTimeoutMs({ [TEST_TIMING_ENV]: '{not json' })).toBe(20_000)
  })
})
