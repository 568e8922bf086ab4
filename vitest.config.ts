import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // DynamoDB Local starts once per run; each test file makes its own table in it.
    globalSetup: ['test/setup/dynamodb-local.ts'],
  },
});
