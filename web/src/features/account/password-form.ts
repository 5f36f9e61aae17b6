import { PASSWORD_PROBLEM_TEXT, PasswordChangeProblem, PasswordLinkProblem, passwordProblem, type PasswordProblem } from '@gatehouse/shared';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describeError } from '../../apollo/graphql-errors';

/**
 * What is wrong with a new password and its repetition before asking the server: the shared rule's length and
 * whitespace parts (the common-password list is the server's), and a repetition that differs.
 */
export function newPasswordProblems(password: string, repeated: string): { newPassword?: string; repeated?: string } {
  const problem = passwordProblem(password);
  const problems: { newPassword?: string; repeated?: string } = {};
  if (problem) problems.newPassword = PASSWORD_PROBLEM_TEXT[problem];
  if (!problems.newPassword && repeated !== password) problems.repeated = 'The two passwords differ';
  return problems;
}

const LINK_SENTENCES: Record<PasswordLinkProblem, string> = {
  [PasswordLinkProblem.UNKNOWN]: 'This link is not valid. Ask an admin for a new one.',
  [PasswordLinkProblem.USED]: 'This link has been used already, or a newer one replaced it. Ask an admin for a new one.',
  [PasswordLinkProblem.EXPIRED]: 'This link has expired. Ask an admin for a new one.',
};

/** The server's `extensions.reason` of a refused password or link, if it gave one. */
export function refusalReason(error: unknown): string | null {
  if (!CombinedGraphQLErrors.is(error)) return null;
  const reason = error.errors.find((e) => typeof e.extensions?.reason === 'string')?.extensions?.reason;
  return typeof reason === 'string' ? reason : null;
}

/** Where a refusal belongs on the form and what it says, by the server's reason code (never its message). */
export function passwordRefusal(error: unknown): { field: 'token' | 'currentPassword' | 'newPassword' | null; text: string } {
  const reason = refusalReason(error);
  if (reason && reason in LINK_SENTENCES) return { field: 'token', text: LINK_SENTENCES[reason as PasswordLinkProblem] };
  if (reason === PasswordChangeProblem.WRONG_CURRENT) return { field: 'currentPassword', text: 'The current password is wrong.' };
  if (reason === PasswordChangeProblem.SAME_AS_CURRENT) return { field: 'newPassword', text: 'Choose a new password, not the current one.' };
  if (reason && reason in PASSWORD_PROBLEM_TEXT) return { field: 'newPassword', text: `${PASSWORD_PROBLEM_TEXT[reason as PasswordProblem]}.` };
  return { field: null, text: describeError(error) };
}
