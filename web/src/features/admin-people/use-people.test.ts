import { describe, expect, it } from 'vitest';
import { personStatus } from './use-people';

describe('a person’s state on the People screen', () => {
  it('reads deactivated first, then an invitation without a password, then an assigned password', () => {
    const at = '2026-12-01T10:00:00Z';
    expect(personStatus({ active: false, passwordSetAt: null, mustChangePassword: false }).label).toBe('Deactivated');
    expect(personStatus({ active: true, passwordSetAt: null, mustChangePassword: false }).label).toBe('Invited');
    expect(personStatus({ active: true, passwordSetAt: at, mustChangePassword: true }).label).toBe('Must change password');
    expect(personStatus({ active: true, passwordSetAt: at, mustChangePassword: false }).label).toBe('Active');
  });
});
