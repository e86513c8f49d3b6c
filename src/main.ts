import type { ActionCore } from './action-core.js'
import { applyPlan, unapplied } from './apply.js'
import { RunCancelled, type Cancellation } from './cancel.js'
import { Input } from './constants.js'
import { readEvent } from './event.js'
import { ExportError, exportApp } from './export/export.js'
import { InputError, readCommentInputs, readSettings, type Settings } from './inputs.js'
import { ManifestError, readManifestFile } from './manifest/file.js'
import { parseManifest } from './manifest/parse.js'
import { readVendorState } from './plan/app-state.js'
import { planRobots } from './plan/plan.js'
import { pruneWouldEmptyTheApp } from './plan/prune-guard.js'
import { annotation } from './report/annotations.js'
import { logLine } from './report/log.js'
import { postPlanComment } from './report/pr-comment.js'
import { publish } from './report/publish.js'
import type { ExportedManifest } from './export/types.js'
import type { RunReport } from './report/types.js'
import type { VendorClient } from './vendor/client.js'

/**
 * The whole story: inputs → manifest → what the app has → plan → apply → report.
 * Whatever happens, every robot ends with a status and the report is written.
 */
export async function run(core: ActionCore, env: NodeJS.ProcessEnv = process.env, cancellation: Cancellation | null = null): Promise<void> {
  const report = emptyReport()
  let client: VendorClient | null = null
  try {
    // Pull request events only plan, whatever dry-run says (event.ts says which).
    const event = readEvent(env)
    const settings = readSettings(core, env, event.planOnly, event.isFork)
    describeRun(report, settings, event.planOnly)
    // A cancelled job starts no new stage that calls the vendor; what is done is still reported.
    const stopIfCancelled = (): void => throwIfCancelled(cancellation, settings)

    // An export reads the app, writes its manifest, and plans that manifest like any other: it comes out unchanged.
    if (settings.exportPath !== null) {
      stopIfCancelled()
      client = await openClient(core, settings, cancellation)
      report.exported = await exportTheApp(core, client, settings, report)
    }
    const { file, text } = report.exported ?? (await readManifestFile(settings.workspace, settings.manifestPath))
    const manifest = parseManifest(text, file)
    report.manifestFile = file
    report.manifest = manifest
    const wipe = pruneWouldEmptyTheApp(manifest, settings.prune)
    if (wipe) throw new InputError(wipe)

    // An invalid manifest makes no call at all; a dry run makes only reading calls.
    stopIfCancelled()
    if (settings.vendor && manifest.problems.every(problem => problem.severity !== 'error')) client ??= await openClient(core, settings, cancellation)
    const state = client ? await readVendorState(client, manifest) : null
    stopIfCancelled()
    const plan = planRobots(manifest, state, {
      prune: settings.prune,
      unread: settings.vendor ? 'invalid-manifest' : settings.fork ? 'fork' : 'no-credentials'
    })
    report.plan = plan

    report.outcomes = await applyPlan(plan, client, { dryRun: settings.dryRun })
    report.halt = client?.halt ?? null
    report.runError = cancelledReason(cancellation, settings)
    report.cancelled = report.runError !== null
  } catch (error) {
    await recordStop(core, env, report, error, client)
  } finally {
    client?.close()
  }
  // Also when the run stopped: the comment then says so, instead of an old plan staying up.
  // Not when the job is cancelled: it must end within seconds.
  const commentNote = cancellation?.stop.aborted ? null : await postPlanComment(core, env, readCommentInputs(core), report)
  if (commentNote) report.notes.push(commentNote)
  await publish(core, report)
}

function emptyReport(): RunReport {
  return {
    mode: 'offline',
    manifestFile: 'robots.yaml',
    manifest: null,
    plan: null,
    outcomes: [],
    halt: null,
    target: null,
    runError: null,
    notes: [],
    planOnly: null
  }
}

/** What the run is, as far as the inputs say: the report's headline needs it even if the run stops next. */
function describeRun(report: RunReport, settings: Settings, planOnly: string | null): void {
  report.planOnly = planOnly
  // An export's manifest is the file it writes.
  report.manifestFile = settings.exportPath ?? settings.manifestPath
  report.mode = !settings.dryRun ? 'apply' : settings.vendor ? 'plan' : 'offline'
  report.target = settings.vendor?.target ?? null
  report.expectNoChanges = settings.expectNoChanges
}

function cancelledReason(cancellation: Cancellation | null, settings: Settings): string | null {
  return cancellation?.stop.aborted ? cancellation.describe(settings.timing.cancelGraceMs) : null
}

function throwIfCancelled(cancellation: Cancellation | null, settings: Settings): void {
  const why = cancelledReason(cancellation, settings)
  if (why) throw new RunCancelled(why)
}

async function exportTheApp(core: ActionCore, client: VendorClient, settings: Settings, report: RunReport): Promise<ExportedManifest> {
  const exported = await exportApp(client, settings.workspace, settings.exportPath as string)
  logLine(core, `Exported the app's ${exported.robots} robot${exported.robots === 1 ? '' : 's'} to ${exported.file}.`)
  for (const note of exported.notes) annotation(core, 'warning', note, { title: 'robots export' })
  report.notes.push(...exported.notes)
  return exported
}

/** Why the run stopped, said once; and every manifest entry still gets a final status. */
async function recordStop(core: ActionCore, env: NodeJS.ProcessEnv, report: RunReport, error: unknown, client: VendorClient | null): Promise<void> {
  report.runError = describeError(core, error, client)
  report.cancelled = error instanceof RunCancelled
  if (error instanceof ManifestError && error.line !== undefined) report.runErrorAt = { file: error.file, line: error.line }
  await accountForEveryEntry(core, env, report, error)
}

/** The client, loaded only when there is an app to call: an offline check needs no http, tls or zlib. */
async function openClient(core: ActionCore, settings: Settings, cancellation: Cancellation | null): Promise<VendorClient> {
  const { VendorClient } = await import('./vendor/client.js')
  return new VendorClient({
    baseUrl: settings.vendor!.baseUrl,
    proxy: settings.vendor!.proxy,
    credentials: settings.vendor!.credentials,
    readOnly: settings.dryRun,
    maxAttempts: settings.maxAttempts,
    ...settings.timing,
    ...(cancellation ? { stop: cancellation.stop, cut: cancellation.cut } : {}),
    // Its lines carry the vendor's text: through the log's and the annotations' escapers.
    log: { debug: line => core.debug(line), info: line => logLine(core, line), warning: line => annotation(core, 'warning', line) },
    mask: secret => core.setSecret(secret)
  })
}

/** A run that stopped early still gives every manifest entry a final status. */
async function accountForEveryEntry(core: ActionCore, env: NodeJS.ProcessEnv, report: RunReport, error: unknown): Promise<void> {
  if (report.outcomes.length > 0 || error instanceof ManifestError || error instanceof ExportError) return
  if (!report.manifest) {
    if (core.getInput(Input.export).trim()) return
    // The inputs could not be read: what the run was meant to be still decides its words.
    // A drift check and an export only read, whatever dry-run says.
    const yes = (input: string): boolean => /^(true|yes|on|1)$/i.test(core.getInput(input).trim())
    report.mode = yes(Input.dryRun) || yes(Input.expectNoChanges) ? 'plan' : 'apply'
    // Bad inputs: the manifest can still be read, so the user sees both the input error and its problems.
    const path = core.getInput(Input.manifest) || 'robots.yaml'
    const read = await readManifestFile(env.GITHUB_WORKSPACE || process.cwd(), path).catch(() => null)
    if (!read) return
    report.manifestFile = read.file
    report.manifest = parseManifest(read.text, read.file)
  }
  report.outcomes = unapplied(report.manifest, report.runError?.split('\n')[0] ?? 'the run stopped')
}

/** Our own errors carry a message for the user; anything else is a bug, shown with its stack only in debug. */
function describeError(core: ActionCore, error: unknown, client: VendorClient | null): string {
  const known = error instanceof InputError || error instanceof ManifestError || error instanceof ExportError || error instanceof RunCancelled
  const text =
    error instanceof Error
      ? known
        ? error.message
        : `Unexpected error: ${error.message}${core.isDebug() && error.stack ? `\n${error.stack}` : ''}`
      : `Unexpected error: ${String(error)}`
  return client ? client.redact(text) : text
}
