/**
 * The vendor's account store and the five commands the action uses, without any HTTP.
 *
 * The vendor facts (prefix, byte limits, tags, codes) are written out here on
 * purpose instead of imported from src/: the emulator is the independent
 * second opinion the action is tested against.
 */

export const ROBOT_PREFIX = '@RBT#'
const USER_ID_MAX_BYTES = 32
const PROFILE_VALUE_MAX_BYTES = 500
const PORTRAIT_GET_MAX_ACCOUNTS = 100

export type ProfileField = 'Nick' | 'FaceUrl' | 'SelfSignature'
const PROFILE_FIELDS: readonly ProfileField[] = ['Nick', 'FaceUrl', 'SelfSignature']

/** Profile tag ↔ create_robot field. */
const TAG_TO_FIELD: Readonly<Record<string, ProfileField>> = {
  Tag_Profile_IM_Nick: 'Nick',
  Tag_Profile_IM_Image: 'FaceUrl',
  Tag_Profile_IM_SelfSignature: 'SelfSignature'
}

/** Own keys only: a tag called "toString" is not a profile tag. */
function fieldOfTag(tag: string): ProfileField | undefined {
  return Object.hasOwn(TAG_TO_FIELD, tag) ? TAG_TO_FIELD[tag] : undefined
}

export interface RobotProfile {
  UserID: string
  Nick?: string
  FaceUrl?: string
  SelfSignature?: string
}

/** A robot for `seed()`; `deleted: true` makes it a deleted (reserved) UserID. */
export interface SeedRobot extends RobotProfile {
  deleted?: boolean
}

/** What a command answers, before it is wrapped in the vendor's envelope. */
export interface Answer {
  code: number
  info: string
  /** Fields after the envelope, e.g. Robot_Account. */
  extra?: Record<string, unknown>
}

export interface RobotStoreOptions {
  robotLimit: number
  accountLimit: number
  createUpdatesProfile: boolean
}

interface StoredAccount {
  profile: Partial<Record<ProfileField, string>>
  deleted: boolean
}

const OK: Answer = { code: 0, info: '' }

function fail(code: number, info: string): Answer {
  return { code, info }
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export class RobotStore {
  /** Insertion order is creation order, which get_all_robots reports. */
  private readonly accounts = new Map<string, StoredAccount>()

  constructor(private readonly options: RobotStoreOptions) {}

  clear(): void {
    this.accounts.clear()
  }

  /** Put accounts in place as if created earlier; limits do not apply. */
  seed(robots: readonly SeedRobot[]): void {
    for (const robot of robots) {
      if (!isObject(robot) || typeof robot.UserID !== 'string') {
        throw new Error(`seed: every robot needs a string UserID, got ${JSON.stringify(robot)}`)
      }
      const profile: StoredAccount['profile'] = {}
      for (const field of PROFILE_FIELDS) {
        const value = robot[field]
        if (value === undefined) continue
        if (typeof value !== 'string') throw new Error(`seed: ${robot.UserID} ${field} must be a string`)
        profile[field] = value
      }
      this.accounts.set(robot.UserID, { profile, deleted: robot.deleted === true })
    }
  }

  live(): RobotProfile[] {
    const robots: RobotProfile[] = []
    for (const [UserID, account] of this.accounts) {
      if (!account.deleted) robots.push({ UserID, ...account.profile })
    }
    return robots
  }

  deleted(): string[] {
    return [...this.accounts].filter(([, account]) => account.deleted).map(([userId]) => userId)
  }

  private liveAccount(userId: string): StoredAccount | undefined {
    const account = this.accounts.get(userId)
    return account !== undefined && !account.deleted ? account : undefined
  }

  createRobot(body: unknown): Answer {
    if (!isObject(body)) return fail(10004, 'request body must be a JSON object')
    const userId = body.UserID
    if (typeof userId !== 'string') return fail(10004, 'UserID is required and must be a string')
    if (!userId.startsWith(ROBOT_PREFIX)) return fail(10004, `UserID must start with ${ROBOT_PREFIX}`)
    if (bytes(userId) > USER_ID_MAX_BYTES) {
      return fail(10004, `UserID is ${bytes(userId)} bytes; at most ${USER_ID_MAX_BYTES}`)
    }
    const given: StoredAccount['profile'] = {}
    for (const field of PROFILE_FIELDS) {
      const value = body[field]
      if (value === undefined) continue
      if (typeof value !== 'string') return fail(10004, `${field} must be a string`)
      given[field] = value
    }
    for (const field of PROFILE_FIELDS) {
      const value = given[field]
      if (value !== undefined && bytes(value) > PROFILE_VALUE_MAX_BYTES) {
        return fail(40601, `${field} is ${bytes(value)} bytes; at most ${PROFILE_VALUE_MAX_BYTES}`)
      }
    }

    const existing = this.accounts.get(userId)
    if (existing?.deleted === true) {
      // Emulator choice: the vendor says a deleted UserID "is not freed" but not
      // what creating it again answers. Refusing makes a client notice.
      return fail(10004, `UserID ${userId} belonged to a deleted chatbot and stays reserved`)
    }
    if (existing !== undefined) {
      // Idempotent. Whether the vendor also updates the profile is unknown; the
      // option lets tests run against both answers.
      if (this.options.createUpdatesProfile) Object.assign(existing.profile, given)
      return OK
    }
    if (this.live().length >= this.options.robotLimit) {
      return fail(10008, `the app already has ${this.options.robotLimit} chatbots, the limit`)
    }
    // A deleted UserID still occupies an account.
    if (this.accounts.size >= this.options.accountLimit) {
      return fail(70398, `the app already has ${this.options.accountLimit} accounts, the edition's limit`)
    }
    this.accounts.set(userId, { profile: given, deleted: false })
    return OK
  }

  getAllRobots(body: unknown): Answer {
    if (!isObject(body)) return fail(10004, 'request body must be a JSON object')
    return { ...OK, extra: { Robot_Account: this.live().map(robot => robot.UserID) } }
  }

  deleteRobot(body: unknown): Answer {
    if (!isObject(body)) return fail(10004, 'request body must be a JSON object')
    const userId = body.Robot_Account
    if (typeof userId !== 'string') return fail(10004, 'Robot_Account is required and must be a string')
    const account = this.liveAccount(userId)
    if (account === undefined) return fail(10004, `${userId} is not a chatbot of this app`)
    account.deleted = true
    return OK
  }

  portraitGet(body: unknown): Answer {
    if (!isObject(body)) return fail(40001, 'request body must be a JSON object')
    const { To_Account: accounts, TagList: tags } = body
    if (!Array.isArray(accounts) || !accounts.every(id => typeof id === 'string')) {
      return fail(40001, 'To_Account must be an array of strings')
    }
    if (accounts.length < 1 || accounts.length > PORTRAIT_GET_MAX_ACCOUNTS) {
      return fail(40001, `To_Account must hold 1 to ${PORTRAIT_GET_MAX_ACCOUNTS} accounts, got ${accounts.length}`)
    }
    if (!Array.isArray(tags) || tags.length === 0 || !tags.every(tag => typeof tag === 'string')) {
      return fail(40001, 'TagList must be a non-empty array of strings')
    }
    const unknownTag = tags.find(tag => fieldOfTag(tag) === undefined)
    if (unknownTag !== undefined) return fail(40009, `no such profile tag: ${unknownTag}`)

    const items = (accounts as string[]).map(userId => {
      const account = this.liveAccount(userId)
      if (account === undefined) {
        // Emulator choice: a failed account carries no ProfileItem, so a client must not rely on one.
        return { To_Account: userId, ResultCode: 40003, ResultInfo: `account ${userId} does not exist` }
      }
      const profileItems = (tags as string[]).flatMap(tag => {
        const value = account.profile[fieldOfTag(tag) as ProfileField]
        return value === undefined ? [] : [{ Tag: tag, Value: value }]
      })
      return { To_Account: userId, ProfileItem: profileItems, ResultCode: 0, ResultInfo: '' }
    })
    return { ...OK, extra: { UserProfileItem: items } }
  }

  portraitSet(body: unknown): Answer {
    if (!isObject(body)) return fail(40001, 'request body must be a JSON object')
    const { From_Account: userId, ProfileItem: items } = body
    if (typeof userId !== 'string') return fail(40001, 'From_Account is required and must be a string')
    const account = this.liveAccount(userId)
    if (account === undefined) return fail(40003, `account ${userId} does not exist`)
    if (!Array.isArray(items) || items.length === 0) return fail(40001, 'ProfileItem must be a non-empty array')

    // Check every item before writing any, so a rejected call changes nothing.
    const changes: StoredAccount['profile'] = {}
    for (const item of items) {
      if (!isObject(item) || typeof item.Tag !== 'string') return fail(40001, 'every ProfileItem needs a string Tag')
      const field = fieldOfTag(item.Tag)
      if (field === undefined) return fail(40009, `no such profile tag: ${item.Tag}`)
      if (typeof item.Value !== 'string') return fail(40001, `the value of ${item.Tag} must be a string`)
      if (bytes(item.Value) > PROFILE_VALUE_MAX_BYTES) {
        return fail(40601, `${item.Tag} is ${bytes(item.Value)} bytes; at most ${PROFILE_VALUE_MAX_BYTES}`)
      }
      changes[field] = item.Value
    }
    Object.assign(account.profile, changes)
    return OK
  }
}
