import { afterAll, describe, expect, it } from '@jest/globals'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'

/**
 * The workflows this repository runs and the ones it shows users are checked
 * as data: GitHub's own workflow parser accepts them, they have the shape
 * GitHub requires, their tokens can do no more than each job needs, and they
 * use the action only with inputs it declares. The README's Quick start is one
 * of them.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const THIS_ACTION = 'org/create-chat-robots@v1'

interface Step {
  name?: string
  id?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
  if?: string
}

/** A mapping of scopes (`contents: read`), or `read-all` / `write-all`. */
type Permissions = Record<string, string> | string

interface Job {
  'runs-on'?: unknown
  needs?: string | string[]
  steps?: Step[]
  permissions?: Permissions
}

interface Workflow {
  name?: string
  on?: unknown
  permissions?: Permissions
  jobs?: Record<string, Job>
}

interface WorkflowFile {
  path: string
  text: string
  workflow: Workflow
  errors: string[]
}

function readWorkflows(dir: string): WorkflowFile[] {
  return readdirSync(join(ROOT, dir))
    .filter(name => /\.ya?ml$/.test(name))
    .sort()
    .map(name => {
      const path = `${dir}/${name}`
      const text = readFileSync(join(ROOT, path), 'utf8')
      const document = parseDocument(text)
      const errors = [...document.errors, ...document.warnings].map(e => e.message)
      return { path, text, workflow: (document.toJS() ?? {}) as Workflow, errors }
    })
}

const repoWorkflows = readWorkflows('.github/workflows')
const exampleWorkflows = readWorkflows('examples/workflows')
const allWorkflows = [...repoWorkflows, ...exampleWorkflows]

const actionYml = parseDocument(readFileSync(join(ROOT, 'action.yml'), 'utf8')).toJS() as { inputs: Record<string, unknown> }
const declaredInputs = Object.keys(actionYml.inputs)
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }

function steps(file: WorkflowFile): Step[] {
  return Object.values(file.workflow.jobs ?? {}).flatMap(job => job.steps ?? [])
}

function jobs(file: WorkflowFile): [string, Job][] {
  return Object.entries(file.workflow.jobs ?? {})
}

/** Steps that run this action: `./` in this repository, anything named create-chat-robots anywhere. */
function isThisAction(step: Step): boolean {
  return step.uses !== undefined && (step.uses === './' || step.uses.includes('create-chat-robots'))
}

function actionSteps(file: WorkflowFile): Step[] {
  return steps(file).filter(isThisAction)
}

/** What a job's token may do: its own `permissions` replace the workflow's. */
function jobPermissions(file: WorkflowFile, job: Job): Permissions | undefined {
  return job.permissions ?? file.workflow.permissions
}

/** The scopes a token can write; with no `permissions` at all, the repository's default may be write-all. */
function writeScopes(permissions: Permissions | undefined): string[] {
  if (permissions === undefined || permissions === 'write-all') return ['*']
  if (typeof permissions === 'string') return []
  return Object.entries(permissions)
    .filter(([, access]) => access === 'write')
    .map(([scope]) => scope)
}

/** A job comments on pull requests when it runs this action with comments on, or posts one itself. */
function comments(job: Job): boolean {
  return (job.steps ?? []).some(
    step =>
      // An export never comments: it has no plan of a pull request's manifest.
      (isThisAction(step) && step.with?.comment !== false && step.with?.export === undefined) ||
      (typeof step.with?.script === 'string' && /\.(createComment|updateComment)\(/.test(step.with.script))
  )
}

/** A job files an issue when a script of it opens or edits one (comments are counted by `comments`). */
function filesIssues(job: Job): boolean {
  return (job.steps ?? []).some(step => typeof step.with?.script === 'string' && /\.issues\.(create|update)\(/.test(step.with.script))
}

/** A job opens a pull request with peter-evans/create-pull-request: it pushes a branch, then opens it. */
function opensPullRequests(job: Job): boolean {
  return (job.steps ?? []).some(step => step.uses?.startsWith('peter-evans/create-pull-request@'))
}

/** The scopes a job of an example needs to write, sorted. */
function writesNeeded(job: Job): string[] {
  const scopes = [
    ...(opensPullRequests(job) ? ['contents', 'pull-requests'] : []),
    ...(filesIssues(job) ? ['issues'] : []),
    ...(comments(job) ? ['pull-requests'] : [])
  ]
  return [...new Set(scopes)].sort()
}

function usesOf(file: WorkflowFile, action: string): Step[] {
  return steps(file).filter(step => step.uses?.startsWith(`${action}@`))
}

function major(step: Step): number {
  return Number(/@v(\d+)$/.exec(step.uses ?? '')?.[1])
}

/** What GitHub's own parser (@actions/workflow-parser) finds wrong, parsing and converting the workflow. */
async function judge(name: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name, content }, new NoOperationTraceWriter())
  const parseErrors = parsed.context.errors.getErrors().map(e => e.message)
  if (parsed.value === undefined) return parseErrors
  const template = await convertWorkflowTemplate(parsed.context, parsed.value)
  return [...new Set([...parseErrors, ...(template.errors ?? []).map(e => e.Message)])]
}

function workflow(path: string): WorkflowFile {
  const file = allWorkflows.find(f => f.path === path)
  if (!file) throw new Error(`${path} is missing`)
  return file
}

/** The fenced yaml block that follows the line naming the example, in the Quick start. */
function readmeQuickStartWorkflow(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\r\n/g, '\n')
  const quickStart = readme.slice(readme.indexOf('## Quick start'))
  const match = /^`\.github\/workflows\/robots\.yml`[^\n]*\n(?:[^\n]*\n)*?```yaml\n([\s\S]*?)```/m.exec(quickStart)
  if (!match) throw new Error('README.md: no yaml block after `.github/workflows/robots.yml` in the Quick start')
  return match[1]
}

describe("GitHub's own parser, the judge of every workflow here", () => {
  it('rejects what GitHub would reject', async () => {
    const broken = [
      'on: push',
      'permissions:',
      '  pull-request: write',
      'jobs:',
      '  test:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v5',
      '        run: make',
      '      - run: echo ${{ step.outputs.x }}'
    ].join('\n')
    expect(await judge('broken.yml', broken)).toEqual([
      expect.stringMatching(/Line: 3, .*'pull-request'/),
      expect.stringMatching(/Line: 9, .*'run'/),
      expect.stringMatching(/Line: 10, .*'step'/)
    ])
    const unknownNeed = [
      'on: push',
      'permissions: {}',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: make',
      '  test:',
      '    needs: biuld',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - run: make test'
    ].join('\n')
    expect(await judge('unknown-need.yml', unknownNeed)).toEqual([expect.stringContaining('biuld')])
  })

  it('accepts action.yml as an action', () => {
    const parsed = parseAction({ name: 'action.yml', content: readFileSync(join(ROOT, 'action.yml'), 'utf8') }, new NoOperationTraceWriter())
    expect(parsed.context.errors.getErrors().map(e => e.message)).toEqual([])
  })
})

describe('the workflow files', () => {
  it('are where the README and CI expect them', () => {
    expect(repoWorkflows.map(f => f.path)).toEqual(
      expect.arrayContaining(['.github/workflows/check-dist.yml', '.github/workflows/ci.yml', '.github/workflows/release.yml'])
    )
    expect(exampleWorkflows.map(f => f.path)).toEqual(
      expect.arrayContaining([
        'examples/workflows/fork-plan-comment.yml',
        'examples/workflows/fork-plan.yml',
        'examples/workflows/matrix.yml',
        'examples/workflows/robots.yml'
      ])
    )
  })

  describe.each(allWorkflows.map(f => [f.path, f] as const))('%s', (_path, file) => {
    it('is YAML without errors or duplicate keys', () => {
      expect(file.errors).toEqual([])
    })

    it('is a workflow GitHub accepts: its own parser finds no error', async () => {
      expect(await judge(file.path, file.text)).toEqual([])
    })

    it('has a name, triggers and at least one job', () => {
      expect(typeof file.workflow.name).toBe('string')
      expect(file.workflow.on).toBeTruthy()
      expect(Object.keys(file.workflow.jobs ?? {}).length).toBeGreaterThan(0)
    })

    it('says which permissions its token gets', () => {
      expect(file.workflow.permissions).toBeDefined()
    })

    it('grants nothing that writes at the top level: each job asks for what it needs', () => {
      expect(writeScopes(file.workflow.permissions)).toEqual([])
    })

    it('checks out without leaving the token in .git/config for later steps', () => {
      for (const step of usesOf(file, 'actions/checkout')) {
        expect({ step: step.uses, with: step.with }).toEqual({ step: step.uses, with: expect.objectContaining({ 'persist-credentials': false }) })
      }
    })

    it('uses the node24 majors of the artifact actions', () => {
      for (const step of usesOf(file, 'actions/upload-artifact')) expect(major(step)).toBeGreaterThanOrEqual(6)
      for (const step of usesOf(file, 'actions/download-artifact')) expect(major(step)).toBeGreaterThanOrEqual(7)
    })

    it('gives every job a runner and steps, and every step one thing to do', () => {
      for (const [name, job] of Object.entries(file.workflow.jobs ?? {})) {
        expect({ job: name, 'runs-on': job['runs-on'] }).toEqual({ job: name, 'runs-on': expect.anything() })
        expect(Array.isArray(job.steps) && job.steps.length > 0).toBe(true)
        for (const step of job.steps ?? []) {
          expect({ job: name, step, actions: [step.uses, step.run].filter(x => x !== undefined).length }).toEqual({ job: name, step, actions: 1 })
        }
      }
    })

    it('pins every other action by its major version tag', () => {
      const others = steps(file)
        .map(step => step.uses)
        .filter((uses): uses is string => uses !== undefined && uses !== './')
      for (const uses of others) expect(uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@v\d+$/)
    })

    it('passes the action only inputs that action.yml declares', () => {
      for (const step of actionSteps(file)) {
        for (const key of Object.keys(step.with ?? {})) expect(declaredInputs).toContain(key)
      }
    })

    it('passes step outputs and event data to scripts through env, never into the script text', () => {
      // `${{ }}` in a run script is pasted in before the shell reads it: text from a pull request
      // (a branch name, a manifest value in an output) would run as code.
      // The same holds for github-script's script.
      for (const step of steps(file)) {
        const script = step.run ?? (typeof step.with?.script === 'string' ? step.with.script : '')
        expect({ step: step.name ?? step.uses, script }).not.toEqual({
          step: step.name ?? step.uses,
          script: expect.stringMatching(/\$\{\{[^}]*\b(steps|github\.event|github\.head_ref|inputs)\b/)
        })
      }
    })

    it('runs only npm scripts that package.json defines', () => {
      for (const step of steps(file)) {
        for (const [, script] of (step.run ?? '').matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(packageJson.scripts)).toContain(script)
      }
    })
  })
})

describe('the examples', () => {
  it('use the action by its published name and major tag', () => {
    const uses = exampleWorkflows.flatMap(actionSteps).map(step => step.uses)
    expect(uses.length).toBeGreaterThanOrEqual(3)
    for (const name of uses) expect(name).toBe(THIS_ACTION)
  })

  it('include the Quick start workflow of the README, character for character', () => {
    expect(workflow('examples/workflows/robots.yml').text).toBe(readmeQuickStartWorkflow())
  })

  it('include every workflow the README links to', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const linked = [...readme.matchAll(/\]\((examples\/workflows\/[^)#\s]+)\)/g)].map(m => m[1])
    expect(linked.length).toBeGreaterThan(0)
    for (const path of linked) expect(exampleWorkflows.map(f => f.path)).toContain(path)
  })

  it('plan on pull requests and apply on pushes to main', () => {
    for (const path of ['examples/workflows/robots.yml', 'examples/workflows/matrix.yml']) {
      const file = workflow(path)
      expect(Object.keys(file.workflow.on as object).sort()).toEqual(['pull_request', 'push'])
      for (const step of actionSteps(file)) expect(step.with?.['dry-run']).toBe("${{ github.event_name == 'pull_request' }}")
    }
  })

  it('give each job only the write permissions its steps need: pull-requests to comment, issues to file one, contents and pull-requests to open a pull request', () => {
    for (const file of exampleWorkflows) {
      for (const [name, job] of jobs(file)) {
        expect({ workflow: file.path, job: name, writes: writeScopes(jobPermissions(file, job)).sort() }).toEqual({
          workflow: file.path,
          job: name,
          writes: writesNeeded(job)
        })
      }
    }
  })

  it('give every app of the matrix its own manifest, so each gets its own plan comment', () => {
    const job = Object.values(workflow('examples/workflows/matrix.yml').workflow.jobs ?? {})[0] as Job & {
      environment?: string
      strategy?: { matrix?: { include?: unknown[] } }
    }
    expect(job.environment).toContain('${{ matrix.')
    expect((job.strategy?.matrix?.include ?? []).length).toBeGreaterThan(1)
    expect(actionSteps(workflow('examples/workflows/matrix.yml'))[0].with?.manifest).toContain('${{ matrix.')
  })

  describe('plan comments for forks', () => {
    const plan = workflow('examples/workflows/fork-plan.yml')
    const comment = workflow('examples/workflows/fork-plan-comment.yml')

    it('plan on the pull request with a read-only token, writing nothing and posting nothing', () => {
      expect(Object.keys(plan.workflow.on as object)).toEqual(['pull_request'])
      for (const [, job] of jobs(plan)) expect(jobPermissions(plan, job)).toEqual({ contents: 'read' })
      const [step] = actionSteps(plan)
      expect(step.with).toMatchObject({ 'dry-run': true, comment: false })
      expect(steps(plan).some(s => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true)
    })

    it('comment from a workflow_run of the plan workflow', () => {
      const on = comment.workflow.on as { workflow_run?: { workflows?: string[] } }
      expect(on.workflow_run?.workflows).toEqual([plan.workflow.name])
      for (const [, job] of jobs(comment)) expect(jobPermissions(comment, job)).toEqual({ actions: 'read', 'pull-requests': 'write' })
      expect(steps(comment).some(s => s.uses?.startsWith('actions/download-artifact@'))).toBe(true)
    })

    it("never check out or run the pull request's code on the trusted side", () => {
      for (const step of steps(comment)) {
        expect(step.uses ?? '').not.toMatch(/^actions\/checkout@|^\.\/|create-chat-robots/)
        expect(step.run).toBeUndefined()
      }
      expect(comment.text).toContain('<!--')
    })

    describe('the trusted side, run on an artifact a pull request could have written', () => {
      const script = steps(comment).find(step => step.uses?.startsWith('actions/github-script@'))?.with?.script as string
      const headSha = 'c0ffee0123456789abcdef0123456789abcdef01'
      const marker = '<!-- create-chat-robots fork plan: robots.yaml -->'
      const dirs: string[] = []
      afterAll(() => {
        for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
      })

      /** The artifact as download-artifact leaves it: files under plan/ in the workspace. */
      function artifact(files: Record<string, string>): string {
        const dir = mkdtempSync(join(tmpdir(), 'fork-plan-comment-'))
        dirs.push(dir)
        mkdirSync(join(dir, 'plan'))
        for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'plan', name), text)
        return dir
      }

      /**
       * Runs the script as github-script does, against a pull request #7 whose head is `prHead`
       * and an API that, like GitHub's, refuses a comment over 65,536 characters.
       */
      async function run(workspace: string, { prHead = headSha, existing = [] as { id: number; user: { login: string }; body: string }[] } = {}) {
        const calls: string[] = []
        const posted: { id?: number; body: string }[] = []
        const notices: string[] = []
        const reads: string[] = []
        const checked = (body: string) => {
          if (body.length > 65_536) throw new Error('422 Validation Failed: body is too long (maximum is 65536 characters)')
          return body
        }
        const listComments = async () => existing
        const github = {
          paginate: async (method: unknown) => {
            calls.push('listComments')
            if (method !== listComments) throw new Error('unexpected paginate')
            return existing
          },
          rest: {
            pulls: {
              get: async ({ pull_number }: { pull_number: number }) => {
                calls.push(`pulls.get ${pull_number}`)
                if (pull_number !== 7) throw new Error('404 Not Found')
                return { data: { number: 7, head: { sha: prHead } } }
              }
            },
            issues: {
              listComments,
              createComment: async ({ body }: { body: string }) => {
                calls.push('createComment')
                posted.push({ body: checked(body) })
              },
              updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
                calls.push(`updateComment ${comment_id}`)
                posted.push({ id: comment_id, body: checked(body) })
              }
            }
          }
        }
        const fs = {
          lstatSync: (path: string) => lstatSync(join(workspace, path)),
          readFileSync: (path: string, encoding: BufferEncoding) => {
            reads.push(path)
            return readFileSync(join(workspace, path), encoding)
          }
        }
        const context = {
          repo: { owner: 'acme', repo: 'robots' },
          payload: { workflow_run: { head_sha: headSha, conclusion: 'success', html_url: 'https://github.com/acme/robots/actions/runs/1' } }
        }
        const core = {
          info: () => undefined,
          notice: (message: string) => {
            notices.push(message)
          }
        }
        const require = (name: string) => {
          if (name !== 'node:fs') throw new Error(`the script asked for ${name}`)
          return fs
        }
        const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>
        let error: Error | undefined
        await new AsyncFunction('require', 'github', 'context', 'core', script)(require, github, context, core).catch((e: Error) => {
          error = e
        })
        return { calls, posted, notices, reads, error }
      }

      const plan = (results: unknown[]) => artifact({ 'pr-number': '7\n', manifest: 'robots.yaml\n', 'results.json': JSON.stringify(results) })
      const created = { UserID: '@RBT#support', action: 'create', status: 'ok', changes: [{ field: 'Nick', from: null, to: 'Support' }] }

      it('posts the plan on the pull request the artifact names, once it has checked that its head is the planned commit', async () => {
        const { calls, posted, error } = await run(plan([created]))
        expect(error).toBeUndefined()
        expect(calls).toEqual(['pulls.get 7', 'listComments', 'createComment'])
        expect(posted[0].body.startsWith(marker)).toBe(true)
        expect(posted[0].body).toContain('| ` @RBT#support ` | create | ✅ ok |')
      })

      it('does not comment when the pull request has moved on from the planned commit', async () => {
        const { calls, notices } = await run(plan([created]), { prHead: 'feedface' })
        expect(calls).toEqual(['pulls.get 7'])
        expect(notices).toEqual([expect.stringContaining('moved on')])
      })

      it.each(['7; rm -rf /', '0', '-7', '1e400', '', '0x7'])('refuses the pull request number %j before any call', async number => {
        const { error, calls } = await run(artifact({ 'pr-number': number, manifest: 'robots.yaml', 'results.json': '[]' }))
        expect(error?.message).toContain('plan/pr-number')
        expect(calls).toEqual([])
      })

      it('refuses a file over its size limit without reading it', async () => {
        const { error, calls, reads } = await run(artifact({ 'pr-number': '7', manifest: 'robots.yaml', 'results.json': ' '.repeat(1_000_001) }))
        expect(error?.message).toContain('plan/results.json')
        expect(reads).not.toContain('plan/results.json')
        expect(calls).not.toContain('createComment')
      })

      it('edits only its own marked comment: a marked comment by anyone else is left alone', async () => {
        const mallory = { id: 1, user: { login: 'mallory' }, body: `${marker}\nSecurity review passed` }
        const own = { id: 2, user: { login: 'github-actions[bot]' }, body: `${marker}\nold plan` }
        expect((await run(plan([created]), { existing: [mallory] })).calls).toContain('createComment')
        expect((await run(plan([created]), { existing: [mallory, own] })).calls).toContain('updateComment 2')
      })

      it('shows text from the artifact as code on one line: no markup, no mention, no new table row', async () => {
        const hostile = { ...created, UserID: '@RBT#a\n\n<b>x</b> @octocat|', action: '<img src=x>', status: '**ok**' }
        const { posted } = await run(plan([hostile]))
        const rows = posted[0].body.split('\n').filter(line => line.startsWith('|'))
        expect(rows).toHaveLength(3)
        expect(rows[2]).toContain('| ` @RBT#a <b>x</b> @octocat\\| ` | ` <img src=x> ` | ` **ok** ` |')
      })

      it("keeps the comment under GitHub's limit however large the plan, and says how much is left out", async () => {
        // Backticks lengthen the code spans and pipes are escaped: each value renders longer than it is.
        const long = (n: number) => '`|'.repeat(n)
        const robot = (i: number) => ({
          UserID: `@RBT#${i}${long(20)}`,
          action: 'update',
          status: 'ok',
          changes: Array.from({ length: 40 }, () => ({ field: long(10), from: long(20), to: long(20) }))
        })
        const { posted } = await run(plan(Array.from({ length: 100 }, (_, i) => robot(i))))
        expect(posted[0].body.length).toBeLessThanOrEqual(65_536)
        expect(posted[0].body).toMatch(/…and \d+ more\./)
      })
    })
  })
})

describe('the drift watch', () => {
  const drift = workflow('examples/workflows/drift.yml')
  const [checkName, check] = jobs(drift).find(([, job]) => (job.steps ?? []).some(isThisAction)) ?? []
  const [, issueJob] = jobs(drift).find(([, job]) => filesIssues(job)) ?? []
  const step = (issueJob?.steps ?? []).find(s => s.uses?.startsWith('actions/github-script@'))
  const script = step?.with?.script as string

  it('runs on a schedule and on demand', () => {
    expect(Object.keys(drift.workflow.on as object).sort()).toEqual(['schedule', 'workflow_dispatch'])
  })

  it('checks with expect-no-changes, reading the app with a token that can only read the repository', () => {
    expect(actionSteps(drift)[0].with).toMatchObject({ 'expect-no-changes': true })
    expect(jobPermissions(drift, check ?? {})).toEqual({ contents: 'read' })
  })

  it("files the issue in a separate job, the only one with issues: write, from the check's outputs", () => {
    expect(issueJob?.permissions).toEqual({ issues: 'write' })
    expect([issueJob?.needs ?? []].flat()).toEqual([checkName])
    expect(step?.env).toMatchObject({
      CHANGES: `\${{ needs.${checkName}.outputs.changes }}`,
      RESULTS: `\${{ needs.${checkName}.outputs.results }}`,
      CHECK: `\${{ needs.${checkName}.result }}`
    })
    expect((check as Job & { outputs?: Record<string, string> }).outputs).toEqual({
      changes: '${{ steps.robots.outputs.changes }}',
      results: '${{ steps.robots.outputs.results }}'
    })
  })

  describe('its script, run as github-script runs it', () => {
    interface Issue {
      number: number
      body: string
      state: string
      title?: string
      pull_request?: object
      user?: { login: string }
    }

    async function run(env: Record<string, string>, existing: Issue[] = []) {
      const calls: string[] = []
      const issues = existing.map(i => ({ ...i }))
      const listForRepo = async () => issues
      const github = {
        paginate: async (method: unknown, params: { state?: string; creator?: string }) => {
          if (method !== listForRepo) throw new Error('unexpected paginate')
          calls.push(`list ${params.state} ${params.creator}`)
          return issues.filter(i => i.state === params.state)
        },
        rest: {
          issues: {
            listForRepo,
            create: async ({ title, body }: { title: string; body: string }) => {
              calls.push('create')
              const issue = { number: 100 + issues.length, title, body, state: 'open' }
              issues.push(issue)
              return { data: issue }
            },
            update: async ({ issue_number, body, state }: { issue_number: number; body: string; state?: string }) => {
              calls.push(`update ${issue_number}${state ? ` ${state}` : ''}`)
              const issue = issues.find(i => i.number === issue_number)!
              Object.assign(issue, { body, ...(state ? { state } : {}) })
            }
          }
        }
      }
      const context = { repo: { owner: 'acme', repo: 'robots' } }
      const core = { info: () => undefined }
      const saved = { ...process.env }
      Object.assign(process.env, { RUN_URL: 'https://github.com/acme/robots/actions/runs/1', CHANGES: '', RESULTS: '', ...env })
      try {
        const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => (...args: unknown[]) => Promise<unknown>
        await new AsyncFunction('github', 'context', 'core', script)(github, context, core)
      } finally {
        for (const key of ['CHECK', 'CHANGES', 'RESULTS', 'RUN_URL']) {
          if (saved[key] === undefined) delete process.env[key]
          else process.env[key] = saved[key]
        }
      }
      return { calls, issues }
    }

    const results = JSON.stringify([
      { UserID: '@RBT#support', status: 'ok', action: 'update', changes: [{ field: 'Nick', from: 'Support (console)', to: 'Support' }] },
      { UserID: '@RBT#billing', status: 'ok', action: 'unchanged' },
      { UserID: '@RBT#faq', status: 'ok', action: 'create' }
    ])

    it('opens one issue that lists the drift, then updates that issue on the next failed check', async () => {
      const first = await run({ CHECK: 'failure', CHANGES: '2', RESULTS: results })
      expect(first.calls).toEqual(['list open github-actions[bot]', 'create'])
      const [issue] = first.issues
      expect(issue.body).toContain('found 2 changes')
      expect(issue.body).toContain('| ` @RBT#support ` | update | ` Nick `: ` Support (console) ` → ` Support ` |')
      expect(issue.body).toContain('| ` @RBT#faq ` | create |')
      expect(issue.body).not.toContain('@RBT#billing')

      const second = await run({ CHECK: 'failure', CHANGES: '2', RESULTS: results }, first.issues)
      expect(second.calls).toEqual(['list open github-actions[bot]', `update ${issue.number}`])
      expect(second.issues).toHaveLength(1)
    })

    it('closes the open drift issue when the app matches again, and does nothing when there is none', async () => {
      const opened = await run({ CHECK: 'failure', CHANGES: '2', RESULTS: results })
      const closed = await run({ CHECK: 'success', CHANGES: '0', RESULTS: '[]' }, opened.issues)
      expect(closed.calls).toEqual(['list open github-actions[bot]', `update ${opened.issues[0].number} closed`])
      expect((await run({ CHECK: 'success', CHANGES: '0', RESULTS: '[]' })).calls).toEqual(['list open github-actions[bot]'])
    })

    it('says when the check failed before it could compare', async () => {
      const { issues } = await run({ CHECK: 'failure', CHANGES: '', RESULTS: '' })
      expect(issues[0].body).toContain('failed before it could compare')
    })

    it('leaves alone an issue that only looks like its own, and shows values from the app as code', async () => {
      const pr = { number: 5, body: '<!-- create-chat-robots drift -->', state: 'open', pull_request: {} }
      const hostile = JSON.stringify([
        { UserID: '@RBT#x', status: 'ok', action: 'update', changes: [{ field: 'Nick', from: '@octocat <img src=x>\n\n| a |', to: 'X' }] }
      ])
      const { calls, issues } = await run({ CHECK: 'failure', CHANGES: '1', RESULTS: hostile }, [pr])
      expect(calls).toContain('create')
      const row = issues[1].body.split('\n').find(line => line.includes('@RBT#x'))
      expect(row).toContain('` @octocat <img src=x> \\| a \\| `')
    })
  })
})

describe('the export to a pull request', () => {
  const exporting = workflow('examples/workflows/export.yml')
  const [readerName, reader] = jobs(exporting).find(([, job]) => (job.steps ?? []).some(isThisAction)) ?? []
  const [, writer] = jobs(exporting).find(([, job]) => opensPullRequests(job)) ?? []
  const jobText = (job: Job | undefined) => JSON.stringify(job ?? {})

  it('runs on demand only', () => {
    expect(Object.keys(exporting.workflow.on as object)).toEqual(['workflow_dispatch'])
  })

  it("exports with the app's secret in a job that can only read the repository", () => {
    expect(actionSteps(exporting)[0].with).toMatchObject({ export: 'robots.yaml' })
    expect(jobPermissions(exporting, reader ?? {})).toEqual({ contents: 'read' })
  })

  it('opens the pull request from a separate job that never sees the secret, with the exported file as an artifact', () => {
    expect([writer?.needs ?? []].flat()).toEqual([readerName])
    expect(jobText(writer)).not.toMatch(/secrets\./)
    expect((writer?.steps ?? []).some(isThisAction)).toBe(false)
    expect((writer?.steps ?? []).find(s => s.uses?.startsWith('actions/download-artifact@'))?.with?.name).toBe(
      (reader?.steps ?? []).find(s => s.uses?.startsWith('actions/upload-artifact@'))?.with?.name
    )
    expect((writer?.steps ?? []).find(opens => opens.uses?.startsWith('peter-evans/create-pull-request@'))?.with).toMatchObject({ 'add-paths': 'robots.yaml' })
  })
})

describe('CI', () => {
  const ci = workflow('.github/workflows/ci.yml')

  it('runs every check the README promises', () => {
    const runs = (ci.workflow.jobs?.test.steps ?? []).map(step => step.run).filter(Boolean)
    expect(runs).toEqual(
      expect.arrayContaining([expect.stringMatching(/^npm ci/), 'npm run typecheck', 'npm run lint', 'npm run docs:check', 'npm run schema:check', 'npm test'])
    )
  })

  it('runs the action itself against the emulator and checks that nothing failed', () => {
    const job = ci.workflow.jobs?.action
    const local = (job?.steps ?? []).filter(step => step.uses === './')
    expect(local.some(step => step.with?.['dry-run'] === true)).toBe(true)
    const apply = local.find(step => step.with?.['dry-run'] === undefined)
    expect(apply?.with).toMatchObject({ endpoint: expect.stringContaining('127.0.0.1'), sdkappid: 1400000000, manifest: 'examples/robots.yaml' })
    expect(ci.text).toContain(`steps.${apply?.id}.outputs.failed`)
  })

  it('lets no job of this repository write, except the release job that moves the tag', () => {
    const writers = repoWorkflows.flatMap(file =>
      jobs(file)
        .map(([name, job]) => ({ workflow: file.path, job: name, writes: writeScopes(jobPermissions(file, job)) }))
        .filter(job => job.writes.length > 0)
    )
    expect(writers).toEqual([{ workflow: '.github/workflows/release.yml', job: 'release', writes: ['contents'] }])
  })
})

describe('the release', () => {
  const release = workflow('.github/workflows/release.yml')
  const script = (job: Job | undefined) => (job?.steps ?? []).map(step => step.run ?? '').join('\n')
  const [verifyName, verify] = jobs(release).find(([, job]) => /^npm ci\b/m.test(script(job))) ?? []
  const [tagName, tag] = jobs(release).find(([, job]) => /\bgit push\b/.test(script(job))) ?? []

  it('releases only full versions', () => {
    expect((release.workflow.on as { push?: { tags?: string[] } }).push?.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+'])
  })

  it('installs from npm, builds and tests with a token that cannot write', () => {
    expect(script(verify)).toMatch(/^npm test$/m)
    expect(jobPermissions(release, verify ?? {})).toEqual({ contents: 'read' })
  })

  it('moves the major tag in a separate job that waits for the tests', () => {
    expect(tagName).toBeDefined()
    expect(tagName).not.toBe(verifyName)
    expect([tag?.needs ?? []].flat()).toContain(verifyName)
    expect(jobPermissions(release, tag ?? {})).toEqual({ contents: 'write' })
    expect(script(tag)).toMatch(/git tag -f "\$major"/)
  })

  it('installs and runs nothing from npm where the token can write: plain git and gh only', () => {
    for (const step of tag?.steps ?? []) expect(step.uses ?? 'run').toMatch(/^(actions\/checkout@v\d+|run)$/)
    expect(script(tag)).not.toMatch(/\b(npm|npx|node|yarn|pnpm|corepack|tsx)\b/)
  })
})

describe('dependabot', () => {
  interface Update {
    'package-ecosystem': string
    directory?: string
    directories?: string[]
    schedule?: { interval?: string }
    groups?: Record<string, { 'update-types'?: string[]; patterns?: string[] }>
  }
  const config = parseDocument(readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8')).toJS() as { version: number; updates: Update[] }
  const update = (ecosystem: string) => config.updates.find(u => u['package-ecosystem'] === ecosystem)

  it('keeps the actions of the workflows and of the examples current, weekly', () => {
    expect(config.version).toBe(2)
    expect(update('github-actions')?.schedule?.interval).toBe('weekly')
    expect(update('github-actions')?.directories).toEqual(expect.arrayContaining(['/', '/examples/workflows']))
  })

  it('keeps the npm dependencies current, weekly, with minor and patch updates in one pull request', () => {
    const npm = update('npm')
    expect(npm).toMatchObject({ directory: '/', schedule: { interval: 'weekly' } })
    expect(Object.values(npm?.groups ?? {}).map(g => [...(g['update-types'] ?? [])].sort())).toContainEqual(['minor', 'patch'])
  })
})
