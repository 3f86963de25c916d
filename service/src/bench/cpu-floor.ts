/**
 * The CPU a 600 KB submission cannot avoid in Node, measured on this machine
 * one step at a time on one core: decoding the urlencoded form, parsing the
 * `files` JSON, decoding base64, md5 and sha256 of the bytes; then the way
 * back for a fetch (base64 encoding and JSON). No server, no I/O.
 * Prints figures; asserts nothing. Usage:
 *   node service/lib/bench/cpu-floor.js [--kib 200] [--files 3] [--rounds 200]
 */
import { createHash, randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { FileTreeDecoder } from '../domain/file-tree-decoder';
import { UrlencodedParser } from '../http/body/urlencoded-stream';

const opts = new Command('cpu-floor')
  .option('--kib <n>', 'size of each notebook', Number, 200)
  .option('--files <n>', 'notebooks per submission', Number, 3)
  .option('--rounds <n>', 'submissions to time', Number, 200)
  .parse()
  .opts<{ kib: number; files: number; rounds: number }>();

const files = Array.from({ length: opts.files }, (_, i) => ({
  path: `nb${i}.ipynb`,
  content: randomBytes(opts.kib * 1024).toString('base64')
}));
const body = Buffer.from(
  `files=${encodeURIComponent(JSON.stringify(files))}&timestamp=x`,
  'latin1'
);

function time(what: string, step: () => unknown): number {
  for (let i = 0; i < 10; i++) {
    step();
  }
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < opts.rounds; i++) {
    step();
  }
  const used = process.cpuUsage(cpu0);
  const ms = (used.user + used.system) / 1000 / opts.rounds;
  console.log(`| ${what} | ${ms.toFixed(3)} |`);
  return ms;
}

let form = '';
let parsed: Array<{ path: string; content: string }> = [];
let decoded: Buffer[] = [];
console.log(
  `CPU floor of one submission: ${opts.files} × ${opts.kib} KiB notebooks, ${(body.length / 1024).toFixed(0)} KiB request body, Node ${process.version}\n`
);
console.log('| step | ms of one core |');
console.log('|---|---:|');
// Two ways to decode the form; the floor takes the cheaper.
const formDecode = Math.min(
  time('form decode, URLSearchParams', () => {
    form = new URLSearchParams(body.toString('latin1')).get('files')!;
  }),
  time('form decode, decodeURIComponent of the field', () => {
    const text = body.toString('latin1');
    form = decodeURIComponent(text.slice(6, text.indexOf('&')));
  })
);
const steps = [
  formDecode,
  time('JSON.parse of `files`', () => {
    parsed = JSON.parse(form);
  }),
  time('base64 decode', () => {
    decoded = parsed.map(f => Buffer.from(f.content, 'base64'));
  }),
  time('md5', () => decoded.map(d => createHash('md5').update(d).digest('hex'))),
  time('sha256', () => decoded.map(d => createHash('sha256').update(d).digest('hex')))
];
const submit = steps.reduce((a, b) => a + b, 0);
console.log(`| **submission total** (cheaper form decode) | **${submit.toFixed(3)}** |`);
const fetchSteps = [
  time('base64 encode (fetch)', () => decoded.map(d => d.toString('base64'))),
  time('JSON.stringify of the answer (fetch)', () =>
    JSON.stringify({ success: true, files: parsed })
  )
];
const fetch = fetchSteps.reduce((a, b) => a + b, 0);
console.log(`| **fetch total** | **${fetch.toFixed(3)}** |`);

// What this service's streaming decoders spend on the same body, fed in socket-sized chunks.
const noWriter = () => Promise.reject(new Error('contents stay in memory here'));
const service = time(
  'this service: urlencoded stream + files decoder (base64, md5, sha256)',
  () => {
    let decoder: FileTreeDecoder | undefined;
    const parser = new UrlencodedParser({
      stream: name => (name === 'files' ? (decoder = new FileTreeDecoder(noWriter)) : undefined),
      keep: () => true,
      field: () => undefined,
      kept: () => undefined,
      invalidText: () => new Error('not UTF-8')
    });
    for (let i = 0; i < body.length; i += 65536) {
      parser.write(body.subarray(i, i + 65536));
    }
    parser.end();
    if (!decoder) {
      throw new Error('the body carried no files field');
    }
    // end() only settles the tree; the bytes were decoded and hashed in write().
    void decoder.end();
  }
);
console.log(`| **this service ÷ floor** | **${(service / submit).toFixed(2)}×** |`);
console.log(
  `\nOne core could take ${(1000 / submit).toFixed(0)} submissions/s and serve ${(1000 / fetch).toFixed(0)} fetches/s at this floor.`
);
