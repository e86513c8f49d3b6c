/** What the export stage hands on: the manifest it wrote, for the rest of the run to plan. */
import type { Profile } from '../manifest/fields.js'

/** One robot of the app, as the export writes it. */
export interface AppRobot {
  UserID: string
  /** The profile fields that are set (not empty); none when the profile could not be read. */
  profile: Profile
}

export interface ExportedManifest {
  /** Where it was written, relative to the workspace, with / separators. */
  file: string
  text: string
  robots: number
  /** Robots written without their profile, and why. */
  notes: string[]
}
