/** Text from outside (manifest, vendor, GitHub) is data in every channel: escaped at the channel's edge. */

/**
 * Manifest text is the user's: it shows as text, never as markup. A UserID like
 * @RBT#support would also @-mention the GitHub user "RBT" in a PR comment, so
 * @-words are set as code, where GitHub makes no mention.
 */
export function show(text: string): string {
  return escapeHtml(text).replace(/@[^\s<&]+/g, word => `<code>${word}</code>`)
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&#39;' })[c] as string)
}
