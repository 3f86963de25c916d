/**
 * The guides against the code: every `--flag` the Markdown files mention belongs to `ngshare`
 * (or to a tool named below), every `ngshare …` command line and hub "command" list in their code
 * blocks parses as the real command line does, every message they quote is a string the service or the lab
 * extension really produces, every relative link and anchor resolves, every `npm run` script and
 * repository path they name exists, and every ngshare_exchange URL they configure is one the
 * nbgrader set-up guide lists. (Service names from `helm template`: scripts/check-helm.sh; the
 * command's help: cli.test.ts against docs/cli.md.)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import ts from 'typescript';
import { buildProgram } from './cli';
import { buildCopyProgram } from './import/copy-command';
import { buildImportProgram } from './import/import-command';

const ROOT = path.resolve(__dirname, '../..');

/** The tracked Markdown files (git knows which; caches and node_modules are left out). */
const MARKDOWN = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter(f => f !== '' && existsSync(path.join(ROOT, f)));
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** Text outside fenced code blocks, line by line with line numbers (1-based). */
function proseLines(file: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  let fenced = false;
  read(file)
    .split('\n')
    .forEach((line, i) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
      } else if (!fenced) {
        out.push([i + 1, line]);
      }
    });
  return out;
}

describe('flags in the docs', () => {
  const own = new Set<string | undefined>(
    [buildProgram(), buildImportProgram(), buildCopyProgram()].flatMap(c =>
      c.options.map(o => o.long)
    )
  );
  own.add('--help');
  own.add('--version');
  /** Flags of other tools the guides show, with the tool; checked to be spelt as that tool has them. */
  const OTHERS: Record<string, string> = {
    '--force': 'nbgrader release_assignment / ngshare import',
    '--update': 'nbgrader fetch_feedback… (ngshare_exchange)',
    '--no-deps': 'pip install',
    '--no-cache-dir': 'pip install',
    '--inbound': 'nbgrader list',
    '--cached': 'nbgrader list',
    '--course': 'nbgrader',
    '--student': 'nbgrader',
    '--assignment': 'nbgrader',
    '--before-duedate': 'nbgrader collect',
    '--remove': 'nbgrader list',
    '--json': 'nbgrader list',
    '--set': 'helm',
    '--install': 'helm upgrade',
    '--from-literal': 'kubectl create secret',
    '--runInBand': 'jest',
    '--paths': 'jupyter',
    '--omit': 'npm ci',
    '--no-gb': 'docs example',
    '--no-npm-build': 'scripts/container/check.sh',
    '--allow-missing-labextension': 'scripts/build-wheel.sh',
    '--stage-only': 'scripts/build-wheel.sh',
    '--external': 'scripts/build-docs.sh',
    '--sqlite-synchronous': 'the load benchmark (service/src/bench/load.ts)',
    '--scales': 'npm run bench:compare',
    '--max-semi-space-size': 'node (V8), set by the pip launcher',
    '--s3': 'npm run bench:upload-memory',
    '--ten-thousand': 'npm run bench:compare',
    '--only': 'npm run bench:compare',
    '--profile': 'npm run bench:compare',
    '--hot-path': 'npm run bench:compare',
    '--cpu-prof': 'node',
    '--phases': 'service/lib/bench/profile-summary.js'
  };
  /** Our own scripts' flags must be in the script. */
  const SCRIPT = /^scripts\//;

  it('are flags of ngshare, or of a tool the guides use', () => {
    const unknown: string[] = [];
    for (const file of MARKDOWN) {
      read(file)
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/(?:^|[^-\w])(--[a-zA-Z][-\w]*)/g)) {
            const flag = m[1];
            if (!own.has(flag) && !(flag in OTHERS)) {
              unknown.push(`${file}:${i + 1}: ${flag}`);
            }
          }
        });
    }
    expect(unknown).toEqual([]);
  });

  it("of our own scripts are in those scripts, and 'no-' flags of ngshare exist as such", () => {
    for (const [flag, tool] of Object.entries(OTHERS)) {
      if (SCRIPT.test(tool)) {
        expect({ flag, inScript: read(tool).includes(flag) }).toEqual({ flag, inScript: true });
      }
    }
    expect(own.has('--no-upgrade-db')).toBe(true);
  });
});

/** The `ngshare …` command lines of the docs' code blocks, and the hub configs' "command" lists. */
function documentedCommands(): Array<{ where: string; args: string[] }> {
  const out: Array<{ where: string; args: string[] }> = [];
  const words = (line: string) =>
    [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(m => m[1] ?? m[2] ?? m[3]);
  for (const file of MARKDOWN) {
    const lines = read(file).split('\n');
    let fence: string | null = null; // the info string of the open code block
    for (let i = 0; i < lines.length; i++) {
      const open = /^\s*(?:```|~~~)\s*(\w*)/.exec(lines[i]);
      if (open) {
        fence = fence === null ? open[1] : null;
        continue;
      }
      if (fence === null || fence === 'text') {
        continue; // prose, or program output (docs/cli.md's help text)
      }
      const start = /^\s*(?:ngshare|python3? -m ngshare_ts) (.*)$/.exec(lines[i]);
      if (start) {
        let text = start[1];
        const where = `${file}:${i + 1}`;
        while (text.endsWith('\\') && i + 1 < lines.length) {
          text = text.slice(0, -1) + ' ' + lines[++i].trim();
        }
        out.push({
          where,
          args: words(
            text
              .replace(/\s#.*$/, '')
              .replace(/…$/, '')
              .trim()
          )
        });
      }
      const list = /"ngshare_ts",(.*)$/.exec(lines[i]);
      if (list) {
        let text = list[1];
        const where = `${file}:${i + 1}`;
        while (!text.includes(']') && i + 1 < lines.length) {
          text += ' ' + lines[++i];
        }
        const items = text.split(']')[0].replace(/#[^\n"]*$/gm, '');
        out.push({ where, args: [...items.matchAll(/"([^"]*)"/g)].map(m => m[1]) });
      }
    }
  }
  return out;
}

describe('commands in the docs', () => {
  const commands = documentedCommands();

  it('finds them', () => {
    expect(commands.length).toBeGreaterThan(6);
  });

  it.each(commands.map(c => [c.where, c.args] as const))(
    '%s parses as an ngshare command line',
    (_where, args) => {
      const subcommands: Record<string, () => Command> = {
        import: buildImportProgram,
        copy: buildCopyProgram
      };
      const sub = subcommands[args[0]];
      const imports = sub !== undefined;
      const program = sub ? sub() : buildProgram();
      program
        .exitOverride()
        .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
        .action(() => undefined);
      try {
        program.parse(imports ? args.slice(1) : args, { from: 'user' });
      } catch (err) {
        const code = (err as { code?: string }).code;
        expect(['commander.version', 'commander.helpDisplayed']).toContain(code);
      }
    }
  );
});

/** Every string the service and the extension can show: literals and template pieces. */
function sourceStrings(): string[][] {
  const out: string[][] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (!['test-support', 'testutils', 'bench'].includes(name)) {
          walk(full);
        }
      } else if (/\.tsx?$/.test(name) && !/\.(test|spec|integration\.spec)\.tsx?$/.test(name)) {
        const src = ts.createSourceFile(full, readFileSync(full, 'utf8'), ts.ScriptTarget.Latest);
        const visit = (node: ts.Node) => {
          if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
            // translations mark their arguments %1, %2
            out.push(node.text.split(/%\d/));
          } else if (ts.isTemplateExpression(node)) {
            out.push([node.head.text, ...node.templateSpans.map(s => s.literal.text)]);
          }
          ts.forEachChild(node, visit);
        };
        visit(src);
      }
    }
  };
  walk(path.join(ROOT, 'service/src'));
  walk(path.join(ROOT, 'extension/src'));
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** `(abc|bc|c|)` or `(abc|ab|a|)`: any end or any start of a piece, longest first. */
const ends = (piece: string, suffixes: boolean) =>
  `(${[...Array(piece.length + 1).keys()]
    .map(n => (suffixes ? piece.slice(piece.length - n) : piece.slice(0, n)))
    .reverse()
    .map(escapeRe)
    .join('|')})`;

/**
 * Whether `text` can be part of a string made from `pieces` (fixed text, with anything in each gap
 * between two pieces): inside one piece, or the end of piece i, then pieces i+1 … j-1 in order
 * with gaps between, then the start of piece j. At least half of it must be fixed text, so that
 * a quote cannot pass by sitting in the gaps (or 15 characters, for long file names in a gap).
 */
function fitsTemplate(text: string, pieces: string[]): boolean {
  if (pieces.some(p => p.includes(text))) {
    return true;
  }
  for (let i = 0; i < pieces.length - 1; i++) {
    for (let j = i + 1; j < pieces.length; j++) {
      const middle = pieces.slice(i + 1, j).map(p => `([\\s\\S]*?)${escapeRe(p)}`);
      const re = new RegExp(
        `^${ends(pieces[i], true)}${middle.join('')}([\\s\\S]*?)${ends(pieces[j], false)}$`
      );
      const m = re.exec(text);
      if (m) {
        const gaps = m.slice(2, -1).reduce((sum, g) => sum + (g ?? '').length, 0);
        const fixed = text.length - gaps;
        if (fixed * 2 >= text.length || fixed >= 15) {
          return true;
        }
      }
    }
  }
  return false;
}

describe('messages the docs quote', () => {
  const strings = sourceStrings();
  /** Quoted messages: italic first cells of tables, and "…" after an HTTP status or "message": */
  const quoted: Array<{ where: string; text: string }> = [];
  for (const file of MARKDOWN.filter(f => /^(docs\/|README\.md)/.test(f))) {
    for (const [n, line] of proseLines(file)) {
      const where = `${file}:${n}`;
      const cell = /^\| ((?:\*[^*|]+\*(?: \/ )?)+) \|/.exec(line);
      if (cell) {
        for (const m of cell[1].matchAll(/\*([^*]+)\*/g)) {
          quoted.push({ where, text: m[1] });
        }
      }
      // differences-from-ngshare.md: the middle column quotes ngshare 0.6, the last one us
      const ours =
        file === 'docs/differences-from-ngshare.md' && line.startsWith('|')
          ? (line.split(' | ').pop() ?? '')
          : line;
      for (const m of ours.matchAll(/\b[45]\d\d`? "([^"]+)"|"message": "([^"]+)"/g)) {
        quoted.push({ where, text: (m[1] ?? m[2]).replace(/\\"/g, '"') });
      }
    }
  }

  it('finds the quoted messages', () => {
    expect(quoted.length).toBeGreaterThan(20);
  });

  it('are strings of the service or the extension (… stands for any text)', () => {
    const missing = quoted.filter(
      q =>
        !q.text
          .split('…')
          .map(part => part.trim())
          .filter(part => part !== '')
          .every(part => strings.some(pieces => fitsTemplate(part, pieces)))
    );
    expect(missing.map(q => `${q.where}: ${q.text}`)).toEqual([]);
  });

  it('the matcher rejects what the code cannot say', () => {
    expect(fitsTemplate('Permission denied (not an owl)', ['Permission denied'])).toBe(false);
    expect(fitsTemplate('not reachable at /x/', ['The service is not reachable at ', '.'])).toBe(
      true
    );
    expect(fitsTemplate('copy in ps1', ['You have a copy in ', ''])).toBe(true);
    expect(fitsTemplate('ps1', ['Folder ', ' missing'])).toBe(false);
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, line] of proseLines(file)) {
    const h = /^#{1,6} (.*)$/.exec(line);
    if (h) {
      const base = h[1]
        .trim()
        .toLowerCase()
        .replace(/`/g, '')
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .replace(/\s/g, '-');
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      out.add(count ? `${base}-${count}` : base);
    }
  }
  return out;
}

describe('links and names in the docs', () => {
  it('every relative link and anchor resolves', () => {
    const broken: string[] = [];
    for (const file of MARKDOWN) {
      for (const [n, line] of proseLines(file)) {
        for (const m of line.matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
          const target = m[1];
          if (/^[a-z]+:/i.test(target)) {
            continue; // absolute URLs: not fetched here
          }
          const [rel, anchor] = target.split('#');
          const resolved = rel === '' ? file : path.join(path.dirname(file), rel);
          if (!existsSync(path.join(ROOT, resolved))) {
            broken.push(`${file}:${n}: ${target} (no such file)`);
          } else if (anchor && resolved.endsWith('.md') && !anchors(resolved).has(anchor)) {
            broken.push(`${file}:${n}: ${target} (no such heading)`);
          }
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('every `npm run` script and repository path named exists', () => {
    const scripts = (dir: string) =>
      Object.keys(JSON.parse(read(path.join(dir, 'package.json'))).scripts ?? {});
    const known = new Set([...scripts('.'), ...scripts('service'), ...scripts('extension')]);
    known.add('jest'); // test/package.json
    for (const s of scripts('test')) {
      known.add(s);
    }
    const missing: string[] = [];
    for (const file of MARKDOWN) {
      read(file)
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/npm run ([\w:-]+)/g)) {
            if (!known.has(m[1])) {
              missing.push(`${file}:${i + 1}: npm run ${m[1]}`);
            }
          }
          for (const m of line.matchAll(
            /`((?:scripts|helm|service|extension|test|docs)\/[\w./-]+\.(?:sh|py|ts|md|yaml|json))`/g
          )) {
            const p = m[1];
            // from the root, or from the file's own folder (test/README.md: scripts/…)
            if (
              !existsSync(path.join(ROOT, p)) &&
              !existsSync(path.join(ROOT, path.dirname(file), p))
            ) {
              missing.push(`${file}:${i + 1}: ${p}`);
            }
          }
        });
    }
    expect(missing).toEqual([]);
  });

  it('every URL given to configureExchange is one nbgrader-setup.md lists', () => {
    const table = read('docs/admin/nbgrader-setup.md');
    const urls: string[] = [];
    for (const file of MARKDOWN) {
      for (const m of read(file).matchAll(/configureExchange\(c, ['"]([^'"]+)['"]\)/g)) {
        if (m[1] !== '<url>') {
          urls.push(`${file}: ${m[1]}`);
        }
      }
    }
    expect(urls.length).toBeGreaterThan(3);
    expect(urls.filter(u => !table.includes(`\`${u.split(': ')[1]}\``))).toEqual([]);
  });
});
