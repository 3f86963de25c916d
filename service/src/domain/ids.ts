/**
 * Ids (course, assignment and user names) the service refuses although
 * ngshare 0.6 would store them: blank ones, and ones with control characters
 * (PostgreSQL cannot store NUL at all; the others break logs and file names).
 */
export const isBlankId = (value: string): boolean => /^\s*$/.test(value);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
export const hasControlCharacters = (value: string): boolean => CONTROL.test(value);

export const isUnusableId = (value: string): boolean =>
  isBlankId(value) || hasControlCharacters(value);
