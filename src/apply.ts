import type { CallOutcome, RobotApi } from './vendor/types.js'
import type { Action, Outcome, Plan, PlanItem } from './plan/types.js'
import { isValid, type Manifest } from './manifest/types.js'
import type { Profile } from './manifest/fields.js'

/**
 * Apply: carry out the plan and give every item a final status. Nothing here
 * decides what to do — the plan did — and nothing is dropped: an item that is
 * not carried out still ends with a status and the reason.
 */

/**
 * In a dry run (or with no client) nothing is written. Otherwise the first write
 * goes alone until the vendor has accepted the credentials once — a wrong key
 * costs one call, not twenty — and the rest go concurrently; the client keeps
 * them under the vendor's rate limit.
 */
export async function applyPlan(plan: Plan, client: RobotApi | null, options: { dryRun: boolean }): Promise<Outcome[]> {
  // A run stopped while reading the app (bad credentials) has nothing valid to show.
  const haltReason = client?.halt ? client.haltReason() : undefined
  const outcomes: Outcome[] = plan.items.map(item => settled(item, haltReason))
  if (options.dryRun || !client) return outcomes
  const work = plan.items.map((item, index) => ({ item, index })).filter(({ item }) => !item.blocked && !item.refused && isWrite(item.action))

  // Deletions go first: they free places under the vendor's 20-robot limit for the creations.
  work.sort((a, b) => Number(b.item.action === 'delete') - Number(a.item.action === 'delete'))
  let next = 0
  while (next < work.length && !client.credentialsProven && !client.halt) {
    const { item, index } = work[next++]
    outcomes[index] = await carryOut(client, item)
  }
  const rest = work.slice(next)
  for (const wave of [rest.filter(w => w.item.action === 'delete'), rest.filter(w => w.item.action !== 'delete')]) {
    await Promise.all(
      wave.map(async ({ item, index }) => {
        outcomes[index] = await carryOut(client, item)
      })
    )
  }
  return outcomes
}

/**
 * When the run stops before it has a plan (bad inputs, an unexpected error), every
 * manifest entry still ends with a status: invalid for its own problems, skipped otherwise.
 */
export function unapplied(manifest: Manifest, reason: string): Outcome[] {
  const blocked = `not applied: ${reason}`
  return [
    ...manifest.entries.map((entry): PlanItem => ({ userId: entry.UserID, entry, action: isValid(entry) ? 'not-compared' : 'invalid', changes: [], blocked })),
    ...manifest.retired.map((retired): PlanItem => ({
      userId: retired.UserID,
      entry: null,
      retired,
      action: isValid(retired) ? 'not-compared' : 'invalid',
      changes: [],
      blocked
    }))
  ].map(item => settled(item, undefined))
}

function isWrite(action: Action): boolean {
  return action === 'create' || action === 'update' || action === 'delete'
}

/** The status of an item that needs no call (or will get none). */
function settled(item: PlanItem, haltReason: string | undefined): Outcome {
  const base = { userId: item.userId, entry: item.entry, ...origin(item), action: item.action, attempts: [], changes: item.changes }
  if (item.action === 'invalid') {
    const errors = (item.entry ?? item.retired)?.problems.filter(p => p.severity === 'error') ?? []
    return { ...base, status: 'invalid', code: null, info: errors.map(p => p.message).join(' '), planned: false }
  }
  // The plan already knows this change cannot be made: failed, with the vendor's answer.
  if (item.refused) return { ...base, status: 'failed', code: item.refused.code, info: item.refused.info, planned: false }
  const blocked = item.blocked ?? haltReason
  if (blocked) return { ...base, status: 'skipped', code: null, info: blocked, planned: false }
  return { ...base, status: 'ok', code: 0, info: '', planned: isWrite(item.action) }
}

function origin(item: PlanItem): Pick<Outcome, 'retired'> {
  return item.retired ? { retired: item.retired } : {}
}

async function carryOut(client: RobotApi, item: PlanItem): Promise<Outcome> {
  const base = { userId: item.userId, entry: item.entry, ...origin(item), action: item.action, changes: item.changes, planned: false }
  const userId = item.userId as string
  try {
    const outcome = await call(client, item, userId)
    if (item.action === 'delete' && outcome.kind === 'failed' && outcome.attempts.some(a => a.code === null)) {
      // An attempt with no answer may have gone through, and then the retry is refused:
      // the list tells whether the robot is gone.
      const listing = await client.listRobots()
      if (listing.kind === 'ok' && !listing.value.includes(userId)) {
        return {
          ...base,
          status: 'ok',
          code: 0,
          info: `deleted: an attempt without an answer went through (the retry got ${outcome.code ?? 'no answer'})`,
          attempts: outcome.attempts
        }
      }
    }
    return { ...base, ...toStatus(outcome), attempts: outcome.attempts }
  } catch (error) {
    // A bug must not lose the robot: it still ends with a status.
    return {
      ...base,
      status: 'failed',
      code: null,
      info: `unexpected error: ${client.redact(error instanceof Error ? error.message : String(error))}`,
      attempts: []
    }
  }
}

function call(client: RobotApi, item: PlanItem, userId: string): Promise<CallOutcome<null>> {
  switch (item.action) {
    case 'create':
      return client.createRobot(userId, item.entry?.profile ?? {})
    case 'update':
      return client.setProfile(userId, Object.fromEntries(item.changes.map(c => [c.field, c.to])) as Profile)
    default:
      return client.deleteRobot(userId)
  }
}

function toStatus(outcome: CallOutcome<null>): Pick<Outcome, 'status' | 'code' | 'info'> {
  switch (outcome.kind) {
    case 'ok':
      return { status: 'ok', code: 0, info: '' }
    case 'failed':
      return { status: 'failed', code: outcome.code, info: outcome.info }
    case 'skipped':
      return { status: 'skipped', code: null, info: outcome.reason }
  }
}
