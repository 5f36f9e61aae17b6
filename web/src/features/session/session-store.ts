import type { ApolloClient } from '@apollo/client';
import { ErrorCode } from '@gatehouse/shared';
import { inject, shallowRef, type InjectionKey, type ShallowRef } from 'vue';
import { errorCode } from '../../apollo/graphql-errors';
import { runMutation } from '../../apollo/use-apollo';
import type { SignInFailure } from './sign-in-messages';
import {
  CurrentSessionDocument,
  SignInDocument,
  SignInOptionsDocument,
  SignOutDocument,
  type CurrentSessionQuery,
  type SignInOptionsQuery,
} from '../../graphql/generated';

export type SessionUser = NonNullable<CurrentSessionQuery['me']>;
export type SessionOrganisation = CurrentSessionQuery['organisation'];
export type SignInOptions = SignInOptionsQuery['signInOptions'];

/** unknown: not asked yet; error: the server could not be asked (the app shows a retry, not the sign-in page). */
export type SessionStatus = 'unknown' | 'signed-in' | 'signed-out' | 'error';

export interface SessionStore {
  status: ShallowRef<SessionStatus>;
  user: ShallowRef<SessionUser | null>;
  organisation: ShallowRef<SessionOrganisation | null>;
  /** Asks the server once who is signed in; later calls answer from memory until `refresh`. */
  ensure(): Promise<SessionStatus>;
  refresh(): Promise<SessionStatus>;
  /** Answers null on success, else the error's code (never a message). */
  signIn(email: string, password: string): Promise<SignInFailure | null>;
  /** How to sign in here (password form, single sign-on button); null when the server cannot be asked. */
  signInOptions(): Promise<SignInOptions | null>;
  signOut(): Promise<void>;
  /** The server said UNAUTHENTICATED to some operation: forget the user and their cached data. */
  expire(): void;
}

export const SESSION: InjectionKey<SessionStore> = Symbol('session');

export function useSession(): SessionStore {
  const session = inject(SESSION, null);
  if (!session) throw new Error('No session store provided');
  return session;
}

export function createSessionStore(client: ApolloClient): SessionStore {
  const status = shallowRef<SessionStatus>('unknown');
  const user = shallowRef<SessionUser | null>(null);
  const organisation = shallowRef<SessionOrganisation | null>(null);
  let pending: Promise<SessionStatus> | null = null;

  const load = async (): Promise<SessionStatus> => {
    try {
      const result = await client.query({ query: CurrentSessionDocument, fetchPolicy: 'network-only' });
      user.value = result.data?.me ?? null;
      organisation.value = result.data?.organisation ?? null;
      status.value = user.value ? 'signed-in' : 'signed-out';
    } catch (e) {
      user.value = null;
      organisation.value = null;
      status.value = errorCode(e) === ErrorCode.UNAUTHENTICATED ? 'signed-out' : 'error';
    }
    return status.value;
  };

  const refresh = () => (pending = load().finally(() => (pending = null)));

  const forget = async () => {
    user.value = null;
    organisation.value = null;
    status.value = 'signed-out';
    // Nothing of the previous user may show to the next one.
    await client.clearStore().catch(() => undefined);
  };

  return {
    status,
    user,
    organisation,
    ensure: () => (status.value === 'signed-in' || status.value === 'signed-out' ? Promise.resolve(status.value) : (pending ?? refresh())),
    refresh,
    async signIn(email, password) {
      const { data, error } = await runMutation(client, SignInDocument, { email, password });
      if (error) return errorCode(error) ?? ErrorCode.INTERNAL_SERVER_ERROR;
      // The password was right, but no cookie will carry the session: say why rather than "wrong password".
      if (data?.login.sessionCookieKept === false) return 'INSECURE_TRANSPORT';
      await client.clearStore().catch(() => undefined);
      const next = await refresh();
      return next === 'signed-in' ? null : next === 'error' ? 'NETWORK' : ErrorCode.UNAUTHENTICATED;
    },
    async signInOptions() {
      try {
        const result = await client.query({ query: SignInOptionsDocument, fetchPolicy: 'network-only' });
        return result.data?.signInOptions ?? null;
      } catch {
        return null;
      }
    },
    async signOut() {
      await runMutation(client, SignOutDocument, {});
      await forget();
    },
    expire() {
      if (status.value === 'signed-in') void forget();
    },
  };
}
