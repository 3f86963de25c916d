#!/usr/bin/env node
/**
 * Build the prebuilt labextension with npm only (no Python `jupyter labextension build`).
 *
 * `build-labextension` from @jupyterlab/builder needs a "core path": a directory whose
 * package.json lists JupyterLab's core dependencies and singleton packages. That file ships on npm
 * as @jupyterlab/core-meta. Its version ranges are those of the newest JupyterLab, so we widen the
 * @jupyterlab/* and @lumino/* ranges to the whole major version: the extension then loads without
 * version warnings in any JupyterLab 4.x. The result goes to ../ngshare_ts/labextension
 * (package.json "jupyterlab.outputDir"); install.json is copied next to it so the directory is
 * complete on its own.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const here = path.resolve(__dirname, '..');
const pkg = require(path.join(here, 'package.json'));
const coreFile = require.resolve('@jupyterlab/core-meta/core.package.json', { paths: [here] });
const core = JSON.parse(fs.readFileSync(coreFile, 'utf8'));

function widen(range) {
  const m = /^[~^]?(\d+)\.\d+\.\d+/.exec(range);
  return m ? `^${m[1]}.0.0` : range;
}
for (const section of ['dependencies', 'resolutions']) {
  for (const name of Object.keys(core[section] || {})) {
    if (name.startsWith('@jupyterlab/') || name.startsWith('@lumino/')) {
      core[section][name] = widen(core[section][name]);
    }
  }
}

const coreDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ngshare-core-'));
fs.writeFileSync(path.join(coreDir, 'package.json'), JSON.stringify(core, null, 2));

const bin = require.resolve('@jupyterlab/builder/lib/build-labextension.js', { paths: [here] });
const args = [bin, '--core-path', coreDir, ...process.argv.slice(2), here];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: here });
fs.rmSync(coreDir, { recursive: true, force: true });
if (result.status !== 0) {
  process.exit(result.status === null ? 1 : result.status);
}

const outDir = path.resolve(here, pkg.jupyterlab.outputDir);
const installJson = path.resolve(here, '..', 'install.json');
if (fs.existsSync(installJson)) {
  fs.copyFileSync(installJson, path.join(outDir, 'install.json'));
}
console.log(`labextension written to ${path.relative(process.cwd(), outDir) || outDir}`);
