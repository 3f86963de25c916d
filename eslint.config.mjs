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
  }
);
