/**
 * Ids (course, assignment and user names) the service refuses although
 * ngshare 0.6 would store them: blank ones, and ones with control characters
 * (PostgreSQL cannot store NUL at all; the others break logs and file names),
 * and ones too long for a database index, and ones that are not valid Unicode.
 */
export const isBlankId = (value: string): boolean => /^\s*$/.test(value);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
export const hasControlCharacters = (value: string): boolean => CONTROL.test(value);

/** Longer ids do not fit a PostgreSQL b-tree index entry (about 2.7 kB). */
export const MAX_ID_BYTES = 1024;
export const isTooLongId = (value: string): boolean => Buffer.byteLength(value) > MAX_ID_BYTES;

/**
 * A lone UTF-16 surrogate (only a JSON `\uD800` escape can make one) has no
 * UTF-8 form: the database would store U+FFFD and answer with another name.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const hasLoneSurrogate = (value: string): boolean => LONE_SURROGATE.test(value);

export const isUnusableId = (value: string): boolean =>
  isBlankId(value) || hasControlCharacters(value) || isTooLongId(value) || hasLoneSurrogate(value);
