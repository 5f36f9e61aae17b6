import { computed, reactive, ref, type Ref } from 'vue';
import { describeError } from '../../apollo/graphql-errors';
import { runMutation, useApolloClient, useQuery } from '../../apollo/use-apollo';
import {
  AdministeredPeopleDocument,
  CreateUserInviteDocument,
  DeactivatePersonDocument,
  EndUserSessionsDocument,
  ReactivatePersonDocument,
  RequestPasswordResetDocument,
  UserSessionsDocument,
  type CreateUserInviteInput,
  type PersonFieldsFragment,
} from '../../graphql/generated';

export type Person = PersonFieldsFragment;
export type Outcome<T = undefined> = { ok: true; value: T } | { ok: false; message: string };
export interface OneTimeLink {
  link: string;
  expiresAt: string;
}

/** Where a person stands: deactivated, invited (no password yet), told to change an assigned password, or active. */
export function personStatus(p: Pick<Person, 'active' | 'passwordSetAt' | 'mustChangePassword'>): { label: string; tone: 'neutral' | 'primary' | 'muted' | 'warning' } {
  if (!p.active) return { label: 'Deactivated', tone: 'muted' };
  if (!p.passwordSetAt) return { label: 'Invited', tone: 'primary' };
  if (p.mustChangePassword) return { label: 'Must change password', tone: 'warning' };
  return { label: 'Active', tone: 'neutral' };
}

/**
 * The People screen's data: the people the caller administers (searched by name or e-mail), one person's sessions,
 * and the admin actions. A link comes back once and is never stored in the page's cache.
 */
export function usePeople(search: Ref<string>, enabled: Ref<boolean>) {
  const client = useApolloClient();
  // Paused for someone who is an admin nowhere: the server would refuse it.
  const query = useQuery(AdministeredPeopleDocument, () => (enabled.value ? { search: search.value.trim() || null } : null));
  const sessionsOf = ref<string | null>(null);
  const sessions = useQuery(UserSessionsDocument, () => (sessionsOf.value ? { userId: sessionsOf.value } : null), { fetchPolicy: 'network-only' });
  const busy = reactive({ inviting: false, person: null as string | null });

  const act = async <T>(id: string | null, work: () => Promise<Outcome<T>>): Promise<Outcome<T>> => {
    if (id) busy.person = id;
    try {
      return await work();
    } finally {
      busy.person = null;
    }
  };

  return {
    query,
    sessions,
    sessionsOf,
    busy,
    people: computed(() => query.data.value?.people ?? []),
    async invite(input: CreateUserInviteInput): Promise<Outcome<OneTimeLink & { name: string }>> {
      busy.inviting = true;
      try {
        const { data, error } = await runMutation(client, CreateUserInviteDocument, { input });
        if (error || !data) return { ok: false, message: `Nobody was invited. ${describeError(error)}` };
        await query.refetch();
        const { link, expiresAt, user } = data.createUserInvite;
        return { ok: true, value: { link, expiresAt, name: user.name } };
      } finally {
        busy.inviting = false;
      }
    },
    resetLink: (p: Person) =>
      act(p.id, async (): Promise<Outcome<OneTimeLink>> => {
        const { data, error } = await runMutation(client, RequestPasswordResetDocument, { userId: p.id });
        if (error || !data) return { ok: false, message: `No reset link was made. ${describeError(error)}` };
        return { ok: true, value: data.requestPasswordReset };
      }),
    setActive: (p: Person, active: boolean) =>
      act(p.id, async (): Promise<Outcome> => {
        const { error } = active
          ? await runMutation(client, ReactivatePersonDocument, { userId: p.id })
          : await runMutation(client, DeactivatePersonDocument, { userId: p.id });
        if (error) return { ok: false, message: `${p.name} was not ${active ? 'reactivated' : 'deactivated'}. ${describeError(error)}` };
        await Promise.all([query.refetch(), sessionsOf.value === p.id ? sessions.refetch() : undefined]);
        return { ok: true, value: undefined };
      }),
    endSessions: (p: Person, sessionId: string | null) =>
      act(p.id, async (): Promise<Outcome<number>> => {
        const { data, error } = await runMutation(client, EndUserSessionsDocument, { userId: p.id, sessionId });
        if (error || data == null) return { ok: false, message: `No session was ended. ${describeError(error)}` };
        await sessions.refetch();
        return { ok: true, value: data.endUserSessions };
      }),
  };
}
