import { dictionary } from '@zxcvbn-ts/language-common';
import { passwordProblem, PASSWORD_PROBLEM_TEXT } from '@gatehouse/shared';
import { badInput } from '../../common/domain-error.js';

/**
 * Commonly used passwords: the "passwords-common" list of @zxcvbn-ts/language-common (MIT, maintained by the
 * zxcvbn-ts project; about 49,000 entries gathered from public password leaks), in lower case. Built once, on
 * first use.
 */
let common: Set<string> | undefined;

export function isCommonPassword(lowerCase: string): boolean {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common.has(lowerCase);
}

/** Throws BAD_USER_INPUT (with the field and the shared rule's problem as `reason`) unless the password is acceptable. */
export function assertAcceptablePassword(password: string, field: string): void {
  const problem = passwordProblem(typeof password === 'string' ? password : '', isCommonPassword);
  if (problem) throw badInput(PASSWORD_PROBLEM_TEXT[problem], { field, reason: problem });
}
