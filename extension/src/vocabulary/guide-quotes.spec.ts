/**
 * The guides quote what the UI says. Every message a guide's tables quote in their first column
 * (`| *message* | ...`) must be a text the extension shows: one of the error vocabulary's
 * sentences (describeProblem over every kind of failure) or a string of the extension's source.
 * "…" in a quote stands for any text; %1, %2 in the source stand for any value.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { InvalidResponseError, NetworkError, ResponseError } from '../api';
import { describeProblem } from './problems';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const GUIDES = ['docs/student-guide.md', 'docs/instructor-guide.md'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      return e.name === 'testutils' ? [] : sourceFiles(p);
    }
    return /\.tsx?$/.test(e.name) && !/\.spec\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** String literals of the extension's source, read with the TypeScript parser. */
function sourceStrings(): string[] {
  const out: string[] = [];
  for (const file of sourceFiles(path.join(ROOT, 'extension', 'src'))) {
    const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        out.push(node.text);
      } else if (ts.isJsxText(node) && node.text.trim()) {
        out.push(node.text.trim());
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out.filter(s => s.length > 2);
}

/** Every sentence of the error vocabulary, for both audiences. */
function vocabularyStrings(): string[] {
  const url = '/services/ngshare/courses';
  const failures = [
    new NetworkError(url),
    new InvalidResponseError(503, url, '', false),
    new InvalidResponseError(404, url, '', false),
    new InvalidResponseError(504, url, '', false),
    new InvalidResponseError(200, url, '', true),
    new InvalidResponseError(500, url, '', false),
    new InvalidResponseError(200, url, '', false),
    new ResponseError(401, url, 'x'),
    new ResponseError(403, url, 'Permission denied'),
    new ResponseError(403, url, 'Submissions to %1 closed at its hard deadline, %2 (UTC)'),
    new ResponseError(404, url, '%1'),
    new ResponseError(409, url, '%1'),
    new ResponseError(413, url, 'x'),
    new ResponseError(500, url, 'x'),
    new ResponseError(400, url, '%1')
  ];
  return failures.flatMap(err =>
    (['student', 'instructor'] as const).flatMap(audience => {
      const p = describeProblem(err, { audience });
      return [p.summary, p.action, p.contact].filter(s => s);
    })
  );
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Does this piece of a quote occur in what the UI string can become? */
function occursIn(piece: string, uiString: string): boolean {
  if (uiString.includes(piece)) {
    return true;
  }
  if (!/%\d/.test(uiString)) {
    return false;
  }
  const pattern = uiString.split(/%\d/).map(escape).join('.+?');
  return new RegExp(`^${pattern}$`).test(piece);
}

/** `| *a* / *b* | ...` -> ['a', 'b'] for every table row of a guide. */
function quotedMessages(markdown: string): string[] {
  const out: string[] = [];
  for (const line of markdown.split('\n')) {
    const m = /^\|\s*(\*[^|]*\*)\s*\|/.exec(line);
    if (m) {
      for (const q of m[1].matchAll(/\*([^*]+)\*/g)) {
        out.push(q[1].trim());
      }
    }
  }
  return out;
}

describe('the guides quote what the UI says', () => {
  const ui = [...vocabularyStrings(), ...sourceStrings()];

  it.each(GUIDES)('%s', guide => {
    const quotes = quotedMessages(fs.readFileSync(path.join(ROOT, guide), 'utf8'));
    expect(quotes.length).toBeGreaterThan(3);
    const unknown = quotes.filter(q => {
      const pieces = q
        .split('…')
        .map(p => p.trim())
        .filter(p => p);
      return !ui.some(s => pieces.every(p => occursIn(p, s)));
    });
    expect(unknown).toEqual([]);
  });

  it('notices a quote the UI does not say', () => {
    const quotes = quotedMessages('| *The exchange service is not reachable at /x/* | fix |');
    expect(quotes).toEqual(['The exchange service is not reachable at /x/']);
    expect(ui.some(s => occursIn(quotes[0], s))).toBe(false);
  });
});
