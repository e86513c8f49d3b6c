import js from '@eslint/js'
import tseslint from 'typescript-eslint'

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
      'no-restricted-imports': [
        'error',
        {
          paths: ['http', 'https', 'net', 'tls', 'node:http', 'node:https', 'node:net', 'node:tls', 'undici'].map(name => ({
            name,
            message: 'Only src/vendor/ makes HTTP requests to the vendor.'
          })),
          patterns: [{ regex: '/vendor/(client|http)\\.js$', message: 'Import types from src/vendor/types.js; only main.ts builds the client.' }]
        }
      ],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Only src/vendor/ makes HTTP requests to the vendor.' }]
    }
  },
  {
    files: ['src/main.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['http', 'https', 'net', 'tls', 'node:http', 'node:https', 'node:net', 'node:tls', 'undici'] }] }
  },
  {
    files: ['scripts/**/*.ts', 'emulator/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/__tests__/**'], message: 'scripts/ and emulator/ import nothing from the tests.' }] }]
    }
  }
)
