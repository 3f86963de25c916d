/**
 * The memory settings the pip launcher (ngshare_ts/_launcher.py: RUNTIME_ENV, NODE_FLAGS) starts
 * Node with, so that the benchmark measures the service as administrators run it.
 * runtime-tuning.test.ts keeps the two in step.
 */
export const RUNTIME_ENV: Record<string, string> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072'
};
export const NODE_FLAGS = ['--max-semi-space-size=8'];
