/** md5 by sha256: computed once, then recalled for the same sha256. */
import { createHash, randomBytes } from 'node:crypto';
import { md5Of, rememberMd5 } from './md5-memo';

const hex = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest('hex');

describe('md5Of', () => {
  it('hashes what it does not know, and recalls it after', () => {
    const data = randomBytes(1000);
    const sha256 = hex('sha256', data);
    const md5 = hex('md5', data);
    expect(md5Of(sha256, data)).toBe(md5);
    const update = jest.spyOn(createHash('md5').constructor.prototype, 'update');
    try {
      expect(md5Of(sha256, data)).toBe(md5);
      expect(update).not.toHaveBeenCalled();
    } finally {
      update.mockRestore();
    }
  });

  it('takes a remembered pair (a blob row) without hashing', () => {
    const data = randomBytes(10);
    const sha256 = hex('sha256', data);
    rememberMd5(sha256, 'from-the-row');
    expect(md5Of(sha256, data)).toBe('from-the-row');
  });
});
