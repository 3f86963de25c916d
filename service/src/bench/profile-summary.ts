/**
 * Summarises a `node --cpu-prof` profile of the service taken by
 * `bench:compare --profile DIR`: for each phase (its window from
 * DIR/phases.json, on the same monotonic clock V8 stamps samples with) the
 * functions with the most self time, with where they live.
 * Prints figures; asserts nothing. Usage:
 *   node service/lib/bench/profile-summary.js DIR [--phases "student submit,student list assignments"] [--top 15]
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const program = new Command('profile-summary')
  .argument('<dir>', 'the folder given to bench:compare --profile')
  .option('--phases <list>', 'phases to summarise (default: every phase)')
  .option('--top <n>', 'functions per phase', Number, 15)
  .parse();
const dir = program.args[0];
const opts = program.opts<{ phases?: string; top: number }>();

function where(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) {
    return name;
  }
  const short = url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, '')
    .replace(/.*\/service\/lib\//, 'service/lib/');
  return `${name} ${short}:${lineNumber + 1}`;
}

const windows = JSON.parse(readFileSync(path.join(dir, 'phases.json'), 'utf8')) as Array<{
  scale: string;
  phase: string;
  start: number;
  end: number;
}>;
const wanted = opts.phases?.split(',').map(p => p.trim());
for (const file of readdirSync(dir).filter(f => f.endsWith('.cpuprofile'))) {
  const profile = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const stamps: number[] = [];
  let t = profile.startTime;
  for (const delta of profile.timeDeltas) {
    t += delta;
    stamps.push(t);
  }
  for (const w of windows) {
    if (wanted && !wanted.includes(w.phase)) {
      continue;
    }
    const self = new Map<string, number>();
    let total = 0;
    let idle = 0;
    profile.samples.forEach((id, i) => {
      if (stamps[i] < w.start || stamps[i] > w.end) {
        return;
      }
      const label = where(byId.get(id)!);
      // the sample's weight is the time to the next sample
      const weight = (stamps[i + 1] ?? profile.endTime) - stamps[i];
      if (label === '(idle)') {
        idle += weight;
        return;
      }
      total += weight;
      self.set(label, (self.get(label) ?? 0) + weight);
    });
    const seconds = (w.end - w.start) / 1e6;
    console.log(
      `\n${w.scale} / ${w.phase}: ${(total / 1000).toFixed(0)} ms on the main thread in ${seconds.toFixed(1)} s (idle ${(idle / 1000).toFixed(0)} ms)`
    );
    console.log('| self ms | share | function |');
    console.log('|---:|---:|---|');
    for (const [label, us] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, opts.top)) {
      console.log(
        `| ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)}% | \`${label}\` |`
      );
    }
  }
}
