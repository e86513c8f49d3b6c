import { describe, expect, it } from '@jest/globals'
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'

/**
 * The workflows this repository runs and the ones it shows users are checked
 * as data: GitHub's own workflow parser accepts them, they have the shape
 * GitHub requires, and they use the action only with inputs it declares.
 * The README's Quick start is one of them.
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

interface Job {
  'runs-on'?: unknown
  steps?: Step[]
  permissions?: Record<string, string>
}

interface Workflow {
  name?: string
  on?: unknown
  permissions?: Record<string, string> | string
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

/** Steps that run this action: `./` in this repository, anything named create-chat-robots anywhere. */
function actionSteps(file: WorkflowFile): Step[] {
  return steps(file).filter(step => step.uses !== undefined && (step.uses === './' || step.uses.includes('create-chat-robots')))
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

describe('GitHub\'s own parser, the judge of every workflow here', () => {
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
      expect.stringMatching(/Line: 3, .*'pull-request'/), expect.stringMatching(/Line: 9, .*'run'/), expect.stringMatching(/Line: 10, .*'step'/)
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
    expect(repoWorkflows.map(f => f.path)).toEqual(expect.arrayContaining([
      '.github/workflows/check-dist.yml', '.github/workflows/ci.yml', '.github/workflows/release.yml'
    ]))
    expect(exampleWorkflows.map(f => f.path)).toEqual(expect.arrayContaining([
      'examples/workflows/fork-plan-comment.yml', 'examples/workflows/fork-plan.yml',
      'examples/workflows/matrix.yml', 'examples/workflows/robots.yml'
    ]))
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

    it('gives every job a runner and steps, and every step one thing to do', () => {
      for (const [name, job] of Object.entries(file.workflow.jobs ?? {})) {
        expect({ job: name, 'runs-on': job['runs-on'] }).toEqual({ job: name, 'runs-on': expect.anything() })
        expect(Array.isArray(job.steps) && job.steps.length > 0).toBe(true)
        for (const step of job.steps ?? []) {
          expect({ job: name, step, actions: [step.uses, step.run].filter(x => x !== undefined).length })
            .toEqual({ job: name, step, actions: 1 })
        }
      }
    })

    it('pins every other action by its major version tag', () => {
      const others = steps(file).map(step => step.uses).filter((uses): uses is string => uses !== undefined && uses !== './')
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
        expect({ step: step.name ?? step.uses, script })
          .not.toEqual({ step: step.name ?? step.uses, script: expect.stringMatching(/\$\{\{[^}]*\b(steps|github\.event|github\.head_ref|inputs)\b/) })
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
      for (const step of actionSteps(file)) expect(step.with?.['dry-run']).toBe('${{ github.event_name == \'pull_request\' }}')
    }
  })

  it('give every app of the matrix its own manifest, so each gets its own plan comment', () => {
    const job = Object.values(workflow('examples/workflows/matrix.yml').workflow.jobs ?? {})[0] as Job & { environment?: string; strategy?: { matrix?: { include?: unknown[] } } }
    expect(job.environment).toContain('${{ matrix.')
    expect((job.strategy?.matrix?.include ?? []).length).toBeGreaterThan(1)
    expect(actionSteps(workflow('examples/workflows/matrix.yml'))[0].with?.manifest).toContain('${{ matrix.')
  })

  describe('plan comments for forks', () => {
    const plan = workflow('examples/workflows/fork-plan.yml')
    const comment = workflow('examples/workflows/fork-plan-comment.yml')

    it('plan on the pull request with a read-only token, writing nothing and posting nothing', () => {
      expect(Object.keys(plan.workflow.on as object)).toEqual(['pull_request'])
      expect(plan.workflow.permissions).toEqual({ contents: 'read' })
      const [step] = actionSteps(plan)
      expect(step.with).toMatchObject({ 'dry-run': true, comment: false })
      expect(steps(plan).some(s => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true)
    })

    it('comment from a workflow_run of the plan workflow', () => {
      const on = comment.workflow.on as { workflow_run?: { workflows?: string[] } }
      expect(on.workflow_run?.workflows).toEqual([plan.workflow.name])
      expect(comment.workflow.permissions).toMatchObject({ 'pull-requests': 'write' })
      expect(steps(comment).some(s => s.uses?.startsWith('actions/download-artifact@'))).toBe(true)
    })

    it('never check out or run the pull request\'s code on the trusted side', () => {
      for (const step of steps(comment)) {
        expect(step.uses ?? '').not.toMatch(/^actions\/checkout@|^\.\/|create-chat-robots/)
        expect(step.run).toBeUndefined()
      }
      expect(comment.text).toContain('<!--')
    })
  })
})

describe('CI', () => {
  const ci = workflow('.github/workflows/ci.yml')

  it('runs every check the README promises', () => {
    const runs = (ci.workflow.jobs?.test.steps ?? []).map(step => step.run).filter(Boolean)
    expect(runs).toEqual(expect.arrayContaining([
      expect.stringMatching(/^npm ci/), 'npm run typecheck', 'npm run lint', 'npm run docs:check', 'npm run schema:check', 'npm test'
    ]))
  })

  it('runs the action itself against the emulator and checks that nothing failed', () => {
    const job = ci.workflow.jobs?.action
    const local = (job?.steps ?? []).filter(step => step.uses === './')
    expect(local.some(step => step.with?.['dry-run'] === true)).toBe(true)
    const apply = local.find(step => step.with?.['dry-run'] === undefined)
    expect(apply?.with).toMatchObject({ endpoint: expect.stringContaining('127.0.0.1'), sdkappid: 1400000000, manifest: 'examples/robots.yaml' })
    expect(ci.text).toContain(`steps.${apply?.id}.outputs.failed`)
  })

  it('releases only full versions and moves the major tag', () => {
    const release = workflow('.github/workflows/release.yml')
    expect((release.workflow.on as { push?: { tags?: string[] } }).push?.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+'])
    expect(release.workflow.permissions).toEqual({ contents: 'write' })
    expect(release.text).toMatch(/git tag -f "\$major"/)
  })
})
