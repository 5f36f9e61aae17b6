/**
 * The password rule, one for every way a password is chosen (invitation, reset, first-admin setup, change):
 * at least 12 characters, not only whitespace, not a known common password. The server checks the common list
 * (a maintained list of about 49,000 leaked passwords, too big for the web bundle); the web app shows the same
 * rule's length and whitespace answers as the person types.
 */
export const PASSWORD_MIN_LENGTH = 12;
/** argon2 hashes anything, but a megabyte "password" is a denial-of-service, not a secret. */
export const PASSWORD_MAX_LENGTH = 256;

export enum PasswordProblem {
  TOO_SHORT = 'TOO_SHORT',
  TOO_LONG = 'TOO_LONG',
  ONLY_WHITESPACE = 'ONLY_WHITESPACE',
  COMMON = 'COMMON',
}

export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  [PasswordProblem.TOO_SHORT]: `A password needs at least ${PASSWORD_MIN_LENGTH} characters`,
  [PasswordProblem.TOO_LONG]: `A password has at most ${PASSWORD_MAX_LENGTH} characters`,
  [PasswordProblem.ONLY_WHITESPACE]: 'A password cannot be only spaces',
  [PasswordProblem.COMMON]: 'This password is on a list of commonly used passwords: choose another',
};

/** What a person sees before typing: the rule in words. */
export const PASSWORD_HINTS: readonly string[] = [
  `At least ${PASSWORD_MIN_LENGTH} characters (a few unrelated words make a good one)`,
  'Not only spaces',
  'Not a commonly used password',
];

/**
 * The first problem of a password, or null when it is acceptable. Length counts characters as people see them
 * (code points), not UTF-16 units. `isCommon` is given the password in lower case.
 */
export function passwordProblem(password: string, isCommon?: (lowerCase: string) => boolean): PasswordProblem | null {
  const length = [...password].length;
  if (password.trim() === '' && length > 0) return PasswordProblem.ONLY_WHITESPACE;
  if (length < PASSWORD_MIN_LENGTH) return PasswordProblem.TOO_SHORT;
  if (length > PASSWORD_MAX_LENGTH) return PasswordProblem.TOO_LONG;
  if (isCommon?.(password.toLowerCase())) return PasswordProblem.COMMON;
  return null;
}

/** One-time set-password links: an invitation, an admin's reset, the first admin's setup. */
export const INVITE_LINK_HOURS = 72;
export const RESET_LINK_HOURS = 24;
export const SETUP_LINK_HOURS = 72;

/** Why a one-time link no longer works (`extensions.reason` of its BAD_USER_INPUT). */
export enum PasswordLinkProblem {
  UNKNOWN = 'LINK_UNKNOWN',
  USED = 'LINK_USED',
  EXPIRED = 'LINK_EXPIRED',
}

/** Why changing one's own password was refused (`extensions.reason`), besides the password rule. */
export enum PasswordChangeProblem {
  WRONG_CURRENT = 'WRONG_CURRENT_PASSWORD',
  SAME_AS_CURRENT = 'SAME_AS_CURRENT',
}
