// One lint configuration for every workspace (flat config, typescript-eslint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/lib/**',
      '**/dist/**',
      '**/coverage/**',
      'ngshare_ts/**',
      'test/.cache/**',
      'test/artifacts/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs'
    ]
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      curly: 'error',
      eqeqeq: ['error', 'smart'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off'
    }
  },
  {
    // Layering: routes never touch Knex; services never touch Koa (style-anchors §8).
    files: ['service/src/http/**/*.ts', 'service/src/services/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'knex', message: 'Only service/src/store and db may use Knex.' }] }
      ]
    }
  },
  {
    files: [
      'service/src/services/**/*.ts',
      'service/src/store/**/*.ts',
      'service/src/domain/**/*.ts'
    ],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'koa', message: 'Services and stores do not know about HTTP.' },
            {
              name: 'knex',
              message: 'Only service/src/store and db may use Knex.',
              allowTypeImports: true
            }
          ]
        }
      ]
    }
  },
  // Extension layering (style-anchors §8): components render props, models hold state without UI,
  // the API client and the contents bridge know nothing above them.
  ...[
    [
      'extension/src/components/**',
      ['../api', '../api/*', '../models', '../models/*', '../files', '../files/*']
    ],
    [
      'extension/src/models/**',
      [
        'react',
        'react-dom',
        '../components',
        '../components/*',
        '../widgets',
        '../widgets/*',
        '../commands',
        '../commands/*'
      ]
    ],
    [
      'extension/src/api/**',
      [
        'react',
        '../models',
        '../models/*',
        '../components',
        '../components/*',
        '../widgets',
        '../widgets/*'
      ]
    ],
    [
      'extension/src/files/**',
      [
        'react',
        '../models',
        '../models/*',
        '../components',
        '../components/*',
        '../widgets',
        '../widgets/*'
      ]
    ]
  ].map(([files, forbidden]) => ({
    files: [files],
    ignores: ['**/*.spec.ts', '**/*.spec.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: forbidden,
              message: 'This layer may not import that one (docs/architecture.md).'
            }
          ]
        }
      ]
    }
  }))
);
