/**
 * Messages quote the manifest only in short excerpts. The file may not be a
 * manifest at all (a wrong path, a copied credentials file), and a message
 * reaches the log, the annotations, the summary and the PR comment: whatever
 * the file holds, no message repeats more than MAX_EXCERPT characters of it.
 */
export const MAX_EXCERPT = 40

/** The text, or its first `length` characters and "…" when it is longer. */
export function excerpt(text: string, length = MAX_EXCERPT): string {
  const characters = [...text.slice(0, 2 * length + 2)]
  return characters.length > length ? `${characters.slice(0, length).join('')}…` : text
}

/** An excerpt in double quotes, with the characters JSON escapes escaped. */
export function quote(text: string, length = MAX_EXCERPT): string {
  return JSON.stringify(excerpt(text, length))
}
