import { configDefaults, defineConfig } from 'vitest/config';

// Two projects, run one after the other by `npm test`: everything else in parallel, then
// test/exclusive/ one file at a time. Those own the broker while they run (they restart
// RabbitMQ or change its settings), so nothing else may use it meanwhile.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/exclusive/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'exclusive',
          include: ['test/exclusive/**/*.test.ts'],
          fileParallelism: false,
          // Group 1 starts only once group 0 (the shared project) has finished.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
