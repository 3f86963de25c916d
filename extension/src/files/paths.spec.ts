import { UnsafePathError, checkRelativePath, checkSegment, isIgnored, joinPath } from './paths';

describe('checkRelativePath', () => {
  it.each([
    ['a.ipynb', 'a.ipynb'],
    ['data/x.csv', 'data/x.csv'],
    ['a//b', 'a/b'],
    ['deep/ly/nested/file with space.txt', 'deep/ly/nested/file with space.txt'],
    ['..hidden-but-fine', '..hidden-but-fine'],
    ['~tilde', '~tilde']
  ])('accepts %j', (input, expected) => {
    expect(checkRelativePath(input)).toBe(expected);
  });

  it.each([
    [''],
    ['/etc/passwd'],
    ['/'],
    ['..'],
    ['.'],
    ['../x'],
    ['a/../../x'],
    ['a/./b'],
    ['a/..'],
    ['a\\..\\b'],
    ['..\\x'],
    ['C:evil'],
    ['c:/windows'],
    ['a\u0000b'],
    ['a\nb'],
    ['a/ .. /b'],
    ['///']
  ])('rejects %j', input => {
    expect(() => checkRelativePath(input)).toThrow(UnsafePathError);
  });
});

describe('checkSegment', () => {
  it('accepts timestamps with spaces and colons', () => {
    expect(checkSegment('2026-11-25 20:23:41.695594')).toBe('2026-11-25 20:23:41.695594');
  });
  it.each([[''], ['a/b'], ['a\\b'], ['..'], ['.'], ['x\u0000']])('rejects %j', s => {
    expect(() => checkSegment(s)).toThrow(UnsafePathError);
  });
});

describe('isIgnored', () => {
  const patterns = ['.ipynb_checkpoints', '*.pyc', '__pycache__', 'feedback'];
  it('drops whole directories, not only file names', () => {
    expect(isIgnored('feedback/2026-01-01 10:00:00.1/p1.html', patterns)).toBe(true);
    expect(isIgnored('sub/__pycache__/m.cpython-311.pyc', patterns)).toBe(true);
    expect(isIgnored('.ipynb_checkpoints/p1-checkpoint.ipynb', patterns)).toBe(true);
    expect(isIgnored('mod.pyc', patterns)).toBe(true);
  });
  it('keeps everything else', () => {
    expect(isIgnored('p1.ipynb', patterns)).toBe(false);
    expect(isIgnored('data/feedback.csv', patterns)).toBe(false);
    expect(isIgnored('pyc.txt', patterns)).toBe(false);
  });
  it('supports ? and character classes', () => {
    expect(isIgnored('a1.tmp', ['a?.tmp'])).toBe(true);
    expect(isIgnored('b.log', ['[ab].log'])).toBe(true);
    expect(isIgnored('c.log', ['[!ab].log'])).toBe(true);
    expect(isIgnored('a.log', ['[!ab].log'])).toBe(false);
  });
});

describe('joinPath', () => {
  it('drops empty pieces', () => {
    expect(joinPath('', 'course', '/a/', 'b')).toBe('course/a/b');
    expect(joinPath('')).toBe('');
  });
});
