import { describe, expect, it } from 'vitest';
import { PasswordProblem, passwordProblem } from './password-policy.js';

const common = new Set(['qwerty123456', 'passwordpassword']);
const isCommon = (p: string) => common.has(p);

describe('password policy', () => {
  it('accepts twelve characters or more that are not all whitespace nor common', () => {
    expect(passwordProblem('twelve chars', isCommon)).toBeNull();
    expect(passwordProblem('correct horse battery staple', isCommon)).toBeNull();
  });
  it('refuses eleven characters, counting characters as people see them', () => {
    expect(passwordProblem('elevenchars', isCommon)).toBe(PasswordProblem.TOO_SHORT);
    // Eleven emoji are twenty-two UTF-16 units but still eleven characters
    expect(passwordProblem('😀'.repeat(11), isCommon)).toBe(PasswordProblem.TOO_SHORT);
    expect(passwordProblem('', isCommon)).toBe(PasswordProblem.TOO_SHORT);
  });
  it('refuses only whitespace, however long', () => {
    expect(passwordProblem(' '.repeat(20), isCommon)).toBe(PasswordProblem.ONLY_WHITESPACE);
    expect(passwordProblem('\t \n '.repeat(5), isCommon)).toBe(PasswordProblem.ONLY_WHITESPACE);
  });
  it('refuses a common password whatever its case, and more than 256 characters', () => {
    expect(passwordProblem('QWERTY123456', isCommon)).toBe(PasswordProblem.COMMON);
    expect(passwordProblem('x'.repeat(257), isCommon)).toBe(PasswordProblem.TOO_LONG);
    expect(passwordProblem('x'.repeat(256), isCommon)).toBeNull();
  });
});
