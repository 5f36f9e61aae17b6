import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { describe, expect, it } from 'vitest';
import { newPasswordProblems, passwordRefusal } from './password-form';

const refused = (code: string, reason: string) =>
  new CombinedGraphQLErrors({ errors: [{ message: 'server text', extensions: { code, reason } }] } as never);

describe('the new-password form', () => {
  it('says what is wrong before asking the server', () => {
    expect(newPasswordProblems('short', 'short')).toEqual({ newPassword: 'A password needs at least 12 characters' });
    expect(newPasswordProblems(' '.repeat(14), ' '.repeat(14))).toEqual({ newPassword: 'A password cannot be only spaces' });
    expect(newPasswordProblems('long enough words', 'long enough word')).toEqual({ repeated: 'The two passwords differ' });
    expect(newPasswordProblems('long enough words', 'long enough words')).toEqual({});
  });
  it('places the server’s refusals by their reason code', () => {
    expect(passwordRefusal(refused('BAD_USER_INPUT', 'LINK_EXPIRED'))).toEqual({ field: 'token', text: 'This link has expired. Ask an admin for a new one.' });
    expect(passwordRefusal(refused('BAD_USER_INPUT', 'COMMON'))).toMatchObject({ field: 'newPassword', text: expect.stringContaining('commonly used') });
    expect(passwordRefusal(refused('BAD_USER_INPUT', 'WRONG_CURRENT_PASSWORD'))).toEqual({ field: 'currentPassword', text: 'The current password is wrong.' });
  });
});
