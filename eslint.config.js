import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const NETWORK_MODULES = ['http', 'https', 'net', 'tls', 'node:http', 'node:https', 'node:net', 'node:tls', 'undici']
const onlyTheVendorDoor = names => ({
  paths: names.map(name => ({ name, message: 'Only src/vendor/ makes HTTP requests to the vendor.' })),
  patterns: [{ regex: '/vendor/(client|http)\\.js$', message: 'Import types from src/vendor/types.js; only main.ts builds the client.' }]
})

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly'
      }
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off'
    }
  },
  {
    // src/vendor/ is the only door to the vendor: the dry-run guarantee and secret hygiene live there.
    files: ['src/**/*.ts'],
    ignores: ['src/vendor/**'],
    rules: {
      'no-restricted-imports': ['error', onlyTheVendorDoor(NETWORK_MODULES)],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Only src/vendor/ makes HTTP requests to the vendor.' }]
    }
  },
  {
    // The plan comment's way to GitHub, not to the vendor: undici's fetch and ProxyAgent, as
    // @actions/github uses them, with the proxy from the run's env. Nothing else here may have them.
    files: ['src/report/github-transport.ts'],
    rules: { 'no-restricted-imports': ['error', onlyTheVendorDoor(NETWORK_MODULES.filter(name => name !== 'undici'))] }
  },
  {
    files: ['src/main.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: NETWORK_MODULES }] }
  },
  {
    files: ['scripts/**/*.ts', 'emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/__tests__/**'], message: 'scripts/ and emulator/ import nothing from the tests.' }] }]
    }
  }
)
