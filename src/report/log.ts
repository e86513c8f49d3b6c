/** The log: a line per robot and per unmanaged robot. */
import type { ActionCore } from '../action-core.js'
import type { RunReport } from './types.js'
import { STATUS_ICON, describeAction, label } from './words.js'

export function logOutcomes(core: ActionCore, report: RunReport): void {
  for (const o of report.outcomes) {
    const attempts = o.attempts.length > 0 ? ` after ${o.attempts.length} attempt${o.attempts.length === 1 ? '' : 's'}` : ''
    const detail = o.status === 'ok' ? '' : `: ${o.code !== null && o.code !== 0 ? `${o.code} ` : ''}${o.info}`
    core.info(`${STATUS_ICON[o.status]} ${label(o)} ${o.planned ? 'would ' : ''}${describeAction(o)} → ${o.status}${attempts}${detail}`)
  }
  for (const id of report.plan?.unmanaged ?? []) core.info(`·  ${id} is in the app but not in the manifest (left alone; prune: true would delete it)`)
}
