/**
 * Automated accessibility check of the extension's panels with axe-core (@axe-core/playwright,
 * run in Debian's Chromium through playwright-core): WCAG 2.1 A and AA rules, in the light and
 * the dark theme. A serious or critical violation fails the test; every check is also written to
 * test/artifacts/a11y-<file>.jsonl (what ran, where, and the minor findings), started afresh by
 * each run of the file.
 */
import * as fs from 'fs';
import * as path from 'path';
import AxeBuilder from '@axe-core/playwright';
import { ARTIFACTS_DIR } from '../../harness';
import type { LabPage } from './lab';

/** The extension's own regions; JupyterLab's chrome is JupyterLab's business. */
export const NGSHARE_REGIONS = [
  '#ngshare-assignments',
  '#ngshare-courses',
  '#ngshare-instructor',
  '.jp-Dialog-content'
];

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING = new Set(['serious', 'critical']);
/** The artifacts this test file has written to in this run. */
const started = new Set<string>();

export interface A11yFinding {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string; summary: string }[];
}

/** Runs axe once on the visible extension regions in the current theme. */
export async function axeFindings(
  lab: LabPage
): Promise<{ regions: string[]; all: A11yFinding[] }> {
  const regions: string[] = [];
  for (const sel of NGSHARE_REGIONS) {
    if (await lab.page.locator(sel).first().isVisible()) {
      regions.push(sel);
    }
  }
  if (regions.length === 0) {
    throw new Error('accessibility check: no ngshare panel is visible');
  }
  let builder = new AxeBuilder({ page: lab.page }).withTags(TAGS);
  for (const sel of regions) {
    builder = builder.include(sel);
  }
  const results = await builder.analyze();
  const all = results.violations.map(v => ({
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    nodes: v.nodes.map(n => ({
      target: n.target.join(' '),
      summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300)
    }))
  }));
  return { regions, all };
}

function describe(findings: A11yFinding[]): string {
  return findings
    .map(
      f =>
        `${f.impact} ${f.id} (${f.help}):\n${f.nodes.map(n => `  ${n.target}: ${n.summary}`).join('\n')}`
    )
    .join('\n');
}

/**
 * Checks what is on screen now, in the light and the dark theme (the page ends in the light
 * theme), and throws on any serious or critical violation. `state` names the check in messages
 * and in the artifact. `themes: 'current'` checks only the theme on screen: a modal dialog
 * blocks the menu that switches themes (open the dialog in the other theme to check that too).
 */
export async function checkAccessibility(
  lab: LabPage,
  state: string,
  options: { themes?: 'both' | 'current' } = {}
): Promise<void> {
  const file = path.join(
    ARTIFACTS_DIR,
    `a11y-${path.basename(expect.getState().testPath ?? 'browser', '.test.ts')}.jsonl`
  );
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  if (!started.has(file)) {
    // one run's findings per file: start it afresh
    fs.writeFileSync(file, '');
    started.add(file);
  }
  const failures: string[] = [];
  const current = (await lab.page.locator('body').getAttribute('data-jp-theme-light')) === 'false';
  const themes = options.themes === 'current' ? [current] : [false, true];
  for (const dark of themes) {
    if (options.themes !== 'current') {
      await lab.theme(dark);
    }
    await lab.settled();
    const { regions, all } = await axeFindings(lab);
    const failing = all.filter(f => FAILING.has(f.impact));
    const theme = dark ? 'dark' : 'light';
    fs.appendFileSync(file, JSON.stringify({ state, theme, regions, violations: all }) + '\n');
    if (failing.length > 0) {
      failures.push(`[${state}, ${theme} theme]\n${describe(failing)}`);
    }
  }
  if (options.themes !== 'current') {
    await lab.theme(false);
  }
  if (failures.length > 0) {
    throw new Error(`accessibility violations (serious/critical):\n${failures.join('\n')}`);
  }
}
