/**
 * Jest transform for @actions/workflow-parser, which imports its schema JSON
 * without `with { type: 'json' }` (it is built for bundlers). Node refuses such
 * an import and Jest only warns for now, so the attribute is added here.
 */
export default {
  process(source) {
    return { code: source.replace(/^(import \w+ from "[^"]+\.json");$/gm, '$1 with { type: "json" };') }
  }
}
