import { MemoryContents } from '../testutils/memory-contents';
import { base64ToBytes, bytesToBase64, decodedSize, md5Base64, textToBase64 } from './base64';
import { ContentsBridge } from './contents';
import { UnsafePathError } from './paths';

const BINARY = new Uint8Array(Array.from({ length: 300 }, (_, i) => (i * 37) % 256));

describe('base64 helpers', () => {
  it('round-trip binary bytes exactly, tolerating MIME line breaks', () => {
    const b64 = bytesToBase64(BINARY);
    const mime = (b64.match(/.{1,76}/g) ?? []).join('\n') + '\n';
    expect(Array.from(base64ToBytes(mime))).toEqual(Array.from(BINARY));
    expect(decodedSize(mime)).toBe(300);
  });
  it('computes the MD5 ngshare reports', () => {
    expect(md5Base64(textToBase64('hello\n'))).toBe('b1946ac92492d2347c6235b4d2611184');
    expect(md5Base64('')).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });
  it('rejects characters outside the alphabet', () => {
    expect(() => base64ToBytes('ab!c')).toThrow();
  });
});

describe('ContentsBridge', () => {
  it('writes nested binary files byte-exact, creating the folders first', async () => {
    const mem = new MemoryContents();
    const bridge = new ContentsBridge(mem);
    const content = (bytesToBase64(BINARY).match(/.{1,76}/g) ?? []).join('\n') + '\n';
    const progress: number[] = [];
    const result = await bridge.writeTree(
      'course/ps1',
      [
        { path: 'p1.ipynb', content: textToBase64('{"cells": []}') },
        { path: 'data/deep/img.png', content }
      ],
      { onProgress: p => progress.push(p.done) }
    );
    expect(result.written).toEqual(['p1.ipynb', 'data/deep/img.png']);
    expect(Array.from(mem.bytes('course/ps1/data/deep/img.png')!)).toEqual(Array.from(BINARY));
    expect(mem.text('course/ps1/p1.ipynb')).toBe('{"cells": []}');
    expect(progress).toEqual([1, 2]);
  });

  it('refuses the whole tree when one path escapes, writing nothing', async () => {
    const mem = new MemoryContents();
    const bridge = new ContentsBridge(mem);
    await expect(
      bridge.writeTree('ps1', [
        { path: 'ok.txt', content: textToBase64('x') },
        { path: '../../.bashrc', content: textToBase64('evil') }
      ])
    ).rejects.toBeInstanceOf(UnsafePathError);
    expect(mem.files()).toEqual([]);
    await expect(
      bridge.writeTree('ps1', [{ path: '/etc/passwd', content: textToBase64('x') }])
    ).rejects.toThrow(/absolute/);
    await expect(
      bridge.writeTree('ps1', [{ path: 'a\\..\\..\\x', content: textToBase64('x') }])
    ).rejects.toThrow(/backslash/);
    expect(mem.files()).toEqual([]);
  });

  it('keeps existing files in no-clobber mode and honours ignore patterns', async () => {
    const mem = new MemoryContents();
    mem.put('ps1/p1.ipynb', 'mine');
    const bridge = new ContentsBridge(mem);
    const result = await bridge.writeTree(
      'ps1',
      [
        { path: 'p1.ipynb', content: textToBase64('theirs') },
        { path: 'p2.ipynb', content: textToBase64('new') },
        { path: '__pycache__/x.pyc', content: textToBase64('x') }
      ],
      { noClobber: true, ignore: ['__pycache__'] }
    );
    expect(mem.text('ps1/p1.ipynb')).toBe('mine');
    expect(mem.text('ps1/p2.ipynb')).toBe('new');
    expect(result.skippedExisting).toEqual(['p1.ipynb']);
    expect(result.skippedIgnored).toEqual(['__pycache__/x.pyc']);
  });

  it('lists a tree recursively with sizes, reporting ignored paths', async () => {
    const mem = new MemoryContents();
    mem.put('ps1/p1.ipynb', '12345');
    mem.put('ps1/sub/p2.ipynb', '12');
    mem.put('ps1/feedback/t/p1.html', 'x');
    mem.put('ps1/.hidden', 'x');
    const bridge = new ContentsBridge(mem);
    const tree = await bridge.listTree('ps1', ['feedback']);
    expect(tree.files.map(f => [f.path, f.size])).toEqual([
      ['p1.ipynb', 5],
      ['sub/p2.ipynb', 2]
    ]);
    expect(tree.ignored).toEqual(['feedback/']);
  });

  it('reads files as exact base64 and tells existence', async () => {
    const mem = new MemoryContents();
    mem.put('a/b.bin', BINARY);
    const bridge = new ContentsBridge(mem);
    expect(base64ToBytes(await bridge.readBase64('a/b.bin'))).toEqual(BINARY);
    expect(await bridge.exists('a')).toBe(true);
    expect(await bridge.exists('nope')).toBe(false);
    expect(await bridge.listDir('nope')).toBeNull();
  });

  it('survives concurrent creation of the same new folders (Jupyter Server "File exists")', async () => {
    const mem = new MemoryContents();
    mem.racyMkdir = true;
    const bridge = new ContentsBridge(mem);
    const shared = new Map<string, Promise<void>>();
    const jobs = ['s1', 's2', 's3', 's4'].map(s =>
      bridge.writeTree(
        `course/submitted/${s}/ps1`,
        [{ path: 'p.ipynb', content: textToBase64(s) }],
        {
          created: shared
        }
      )
    );
    // and without a shared cache: the failed PUT is accepted because the folder exists afterwards
    jobs.push(bridge.writeTree('course/submitted/s5/ps1', [{ path: 'p.ipynb', content: 'eA==' }]));
    jobs.push(bridge.writeTree('course/submitted/s6/ps1', [{ path: 'p.ipynb', content: 'eA==' }]));
    await Promise.all(jobs);
    expect(mem.text('course/submitted/s3/ps1/p.ipynb')).toBe('s3');
    expect(mem.files()).toHaveLength(6);
    // the shared cache sends one PUT per folder
    expect(mem.saves.filter(p => p === 'course')).toHaveLength(3);
  });
});
