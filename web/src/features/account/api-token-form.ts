/** The same limits the server enforces (ApiTokensService): checked here only to say so before sending. */
export const API_TOKEN_NAME_MAX = 100;
export const API_TOKEN_MAX_DAYS = 365;
export const API_TOKEN_DAY_CHOICES = [7, 30, 90, 180, 365] as const;

export interface ApiTokenDraft {
  name: string;
  expiresInDays: number;
  readOnly: boolean;
}

export function apiTokenProblems(draft: ApiTokenDraft): { name?: string; expiresInDays?: string } {
  const problems: { name?: string; expiresInDays?: string } = {};
  const name = draft.name.trim();
  if (!name) problems.name = 'Name the token, e.g. what it is for.';
  else if (name.length > API_TOKEN_NAME_MAX) problems.name = `At most ${API_TOKEN_NAME_MAX} characters.`;
  if (!Number.isInteger(draft.expiresInDays) || draft.expiresInDays < 1 || draft.expiresInDays > API_TOKEN_MAX_DAYS) {
    problems.expiresInDays = `Between 1 and ${API_TOKEN_MAX_DAYS} days.`;
  }
  return problems;
}
