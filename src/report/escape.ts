/**
 * Text from outside (manifest, vendor, GitHub API) is data in every channel. Each
 * channel has its own grammar, and its escaper lives here:
 *
 * - the log (stdout/stderr): `forLog` — the runner starts a workflow command at a
 *   line start (`::name::`) and, in its legacy form, at `##[name]` anywhere in a line;
 * - annotations: `forAnnotation` — @actions/core escapes the command itself, so only
 *   what the reader sees is left: one line, nothing invisible;
 * - HTML for the job summary and the PR comment: `show` — no markup, no blank line
 *   (it would end the HTML block and let Markdown render), no @-mention, no reference.
 */

/**
 * Characters that show nothing, reorder text (bidi controls) or end a line: C0/C1
 * controls, format characters, line/paragraph separators and lone surrogates. Tab
 * is kept, and so are the zero-width (non-)joiners that scripts and emoji need.
 */
let invisible: RegExp | undefined
/** Made on first use, from a string: parsing its Unicode classes costs V8 milliseconds. */
function invisiblePattern(): RegExp {
  invisible ??= new RegExp('(?![\\t\\u200c\\u200d])[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}]', 'gu')
  return invisible
}

/**
 * Characters known to be visible: printable ASCII, tab, and the symbols the action's
 * own words use (· — – … → ↔ µ ⏭ ⚠ ⛔ ✂ ✅ ❌ ❔ and the emoji variation selector).
 * A line of nothing else needs no look for invisible ones, which is most lines.
 */
const ONLY_KNOWN_VISIBLE = /^[\ufe0f\t\x20-\x7e\u00b5\u00b7\u2013\u2014\u2026\u2192\u2194\u23ed\u26a0\u26d4\u2702\u2705\u274c\u2754]*$/

/** `\n`, `\r`, or `\uXXXX` (`\u{XXXXX}` past the BMP): what the character is, visibly. */
function visibleEscape(character: string): string {
  if (character === '\n') return '\\n'
  if (character === '\r') return '\\r'
  const code = character.codePointAt(0) as number
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/** The text on one line, with every invisible character shown as an escape. */
export function visible(text: string): string {
  return ONLY_KNOWN_VISIBLE.test(text) ? text : text.replace(invisiblePattern(), visibleEscape)
}

/**
 * Characters the runner's culture-sensitive string search may skip when it looks
 * for `::` and `##[` (.NET on ICU ignores e.g. a soft hyphen or a combining grapheme
 * joiner): a command split by them still counts, so they count as nothing here too.
 */
const SKIPPED = '[\\p{M}\\p{C}\\p{Default_Ignorable_Code_Point}]'
/**
 * The two patterns, made on first use: every Unicode mark and control class costs V8
 * milliseconds to parse, and most runs never hold a line that needs them.
 * The runner trims white space before it looks for `::`.
 */
let commandPatterns: { legacy: RegExp; lineStart: RegExp } | undefined
function patterns(): { legacy: RegExp; lineStart: RegExp } {
  commandPatterns ??= {
    legacy: new RegExp(`#${SKIPPED}*#${SKIPPED}*(?=\\[)`, 'gu'),
    lineStart: new RegExp(`^[\\s\\p{M}\\p{C}\\p{Default_Ignorable_Code_Point}]*(?=:${SKIPPED}*:)`, 'u')
  }
  return commandPatterns
}

/**
 * One log line that cannot start a workflow command, whatever it carries: line
 * breaks and invisible characters are shown escaped, a `##[` anywhere becomes
 * `##\[`, and a line that would begin with `::` begins with `\::`. Our own words
 * never hold either form, so the whole line is treated alike.
 */
export function forLog(line: string): string {
  return noWorkflowCommand(visible(line))
}

/**
 * One line (no line break in it) that cannot start a workflow command: `##[`
 * anywhere becomes `##\[`, and `::` at its start becomes `\::`. For channels that
 * keep their own visible characters, such as the terminal's colours.
 */
export function noWorkflowCommand(line: string): string {
  // Most lines cannot match either pattern, and these exact tests say so first.
  let out = line
  if (mayHoldLegacyCommand(out)) out = out.replace(patterns().legacy, hashes => `${hashes}\\`)
  if (mayStartCommand(out)) out = out.replace(patterns().lineStart, lead => `${lead}\\`)
  return out
}

/** The legacy pattern needs a #, a later #, and a [ after them. */
function mayHoldLegacyCommand(line: string): boolean {
  const first = line.indexOf('#')
  if (first === -1) return false
  const second = line.indexOf('#', first + 1)
  return second !== -1 && line.indexOf('[', second + 1) !== -1
}

/**
 * The line-start pattern needs a : and, before it, only white space, marks and
 * invisible characters: a line that starts with a visible ASCII character other
 * than : (none of those is any of these) cannot match.
 */
function mayStartCommand(line: string): boolean {
  if (!line.includes(':')) return false
  const first = line.charCodeAt(0)
  return !(first > 0x20 && first < 0x7f && first !== 0x3a)
}

/**
 * An annotation's message. @actions/core escapes %, CR and LF for the command,
 * and the runner reads the line once, as the annotation, so `##[` inside is data.
 * What is left is what the reader sees: outside text cannot add lines or hide
 * characters in the message.
 */
export function forAnnotation(message: string): string {
  return visible(message)
}

/** Line breaks, as CommonMark (CR, LF, CRLF) and Unicode (LS, PS) have them. */
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/g

/**
 * A word GitHub would turn into something: an @-mention (@user, org/team, a
 * commit owner@sha, and the full-width ＠ it reads alike), an issue or pull
 * request reference (#1, owner/repo#1, ＃1, GH-1), a commit (7 or more hex
 * digits), a link (://, or www. without a scheme), or a repository's own
 * autolink reference. A repository can name any prefix of letters, digits and
 * . - _ + = : / # (one character is enough), followed by digits or, for an
 * alphanumeric reference, letters, digits and -: JIRA-42, T:42, TICKET-abc,
 * T42, TICKET123a. So a word is taken for one when a mark of that set comes
 * before a letter or digit, a - after one, or a letter and a digit stand side
 * by side.
 * GitHub leaves the inside of <code> alone, so such a word is set as code.
 *
 * What no shape can tell apart: a prefix of letters alone before letters
 * alone (a prefix "Sup" would link "Support"), or of digits before digits.
 * A repository with such a prefix links the same words in the action's own
 * text, and in every comment its people write; a manifest can add nothing to it.
 */
const ACTIVE_WORD = /[@#\uFF20\uFF03]|:\/\/|www\.|[.\-_+=:/][A-Za-z0-9-]|[A-Za-z0-9]-|[A-Za-z][0-9]|[0-9][A-Za-z]|[0-9a-f]{7}/i

/**
 * Text from outside as HTML inside the summary's (and the comment's) HTML block:
 * - markup characters are entities, and so is the backslash, so no Markdown escape forms;
 * - a line break is <br>, so no blank line can end the HTML block (after which
 *   Markdown would render: headings, images, links);
 * - invisible characters are shown as escapes;
 * - a word GitHub would make active (ACTIVE_WORD: a UserID like @RBT#support would
 *   @-mention the user "RBT") is set as code, where GitHub makes no mention,
 *   reference or link.
 */
export function show(text: string): string {
  return text
    .split(LINE_BREAK)
    .map(line => visible(line).split(/(\s+)/).map(showWord).join(''))
    .join('<br>')
}

function showWord(word: string): string {
  if (/^\s*$/.test(word) || !ACTIVE_WORD.test(word)) return escapeHtml(word)
  // A bracket or quote before the word, and a sentence's punctuation after it, stay
  // outside the code: none starts a reference, and white space follows them.
  const [, lead, core, trail] = /^([(["']*)(.*?)([.,:;!?)\]"']*)$/s.exec(word) as RegExpExecArray
  return ACTIVE_WORD.test(core) ? `${escapeHtml(lead)}<code>${escapeHtml(core)}</code>${escapeHtml(trail)}` : `<code>${escapeHtml(word)}</code>`
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'\\]/g, c => HTML_ENTITIES[c] as string)
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '\\': '&#92;' }

/** Elements that have no closing tag. */
const VOID_ELEMENTS = new Set(['br', 'hr', 'img', 'wbr', 'input', 'meta', 'link', 'col', 'area', 'source'])

/**
 * The beginning of our HTML, at most `maxChars` long, still well formed: cut at a
 * line end where one is near (whole rows), never inside a tag, an entity or a
 * surrogate pair, with the elements left open closed again. Outside text in it is
 * escaped, so every tag is ours.
 */
export function cutHtml(html: string, maxChars: number): string {
  if (html.length <= maxChars) return html
  for (let room = maxChars - 64; room > 0; room -= 64) {
    let cut = html.lastIndexOf('\n', room)
    // No line break near enough (or none at all): cut inside the line.
    if (cut === -1 || cut < room - 4096) cut = room
    let kept = html.slice(0, cut)
    kept = kept
      .replace(/<[^>]*$/, '')
      .replace(/&[#a-zA-Z0-9]*$/, '')
      .replace(/[\ud800-\udbff]$/, '')
    const closing = openElements(kept)
      .reverse()
      .map(name => `</${name}>`)
      .join('')
    if (kept.length + closing.length <= maxChars) return kept + closing
  }
  return ''
}

function openElements(html: string): string[] {
  const open: string[] = []
  for (const [, slash, tag] of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>/g)) {
    const name = tag.toLowerCase()
    if (VOID_ELEMENTS.has(name)) continue
    if (!slash) open.push(name)
    else if (open.includes(name)) open.length = open.lastIndexOf(name)
  }
  return open
}
