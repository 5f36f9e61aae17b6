import type { ApolloClient, ErrorLike, OperationVariables, TypedDocumentNode } from '@apollo/client';
import { inject, onScopeDispose, ref, shallowRef, toValue, watch, type InjectionKey, type MaybeRefOrGetter, type Ref } from 'vue';

export const APOLLO_CLIENT: InjectionKey<ApolloClient> = Symbol('apollo-client');

export function useApolloClient(): ApolloClient {
  const client = inject(APOLLO_CLIENT, null);
  if (!client) throw new Error('No Apollo client provided: app.provide(APOLLO_CLIENT, client)');
  return client;
}

/** What every data composable returns: pages render loading, error and empty states from it. */
export interface QueryState<TData> {
  loading: Readonly<Ref<boolean>>;
  error: Readonly<Ref<ErrorLike | null>>;
  data: Readonly<Ref<TData | undefined>>;
  refetch: () => Promise<void>;
}

export interface UseQueryOptions {
  /** `cache-and-network` by default: show what is known at once, then the server's answer. */
  fetchPolicy?: 'cache-first' | 'cache-and-network' | 'network-only' | 'cache-only';
  client?: ApolloClient;
}

/**
 * Watches one query. `variables` may be reactive; when it yields null the query is paused. Data from the
 * previous variables stays visible while the next answer loads, so tables do not flash empty between pages.
 */
export function useQuery<TData, TVariables extends OperationVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: MaybeRefOrGetter<TVariables | null>,
  options: UseQueryOptions = {},
): QueryState<TData> {
  const client = options.client ?? useApolloClient();
  const loading = ref(true);
  const error = shallowRef<ErrorLike | null>(null);
  const data = shallowRef<TData | undefined>(undefined);
  let observable: ReturnType<ApolloClient['watchQuery']> | undefined;
  let subscription: { unsubscribe(): void } | undefined;

  const stop = () => {
    subscription?.unsubscribe();
    subscription = undefined;
    observable = undefined;
  };

  const start = (vars: TVariables) => {
    stop();
    loading.value = true;
    const watched = client.watchQuery<TData, TVariables>({
      query: document,
      variables: vars,
      fetchPolicy: options.fetchPolicy ?? 'cache-and-network',
      notifyOnNetworkStatusChange: true,
    } as never);
    observable = watched as never;
    subscription = watched.subscribe({
      next(result) {
        loading.value = result.loading;
        if (result.dataState === 'complete') data.value = result.data as TData;
        error.value = result.error ?? null;
      },
      error(e: unknown) {
        loading.value = false;
        error.value = e as ErrorLike;
      },
    });
  };

  watch(
    () => JSON.stringify(toValue(variables) ?? null),
    (json) => {
      const vars = JSON.parse(json) as TVariables | null;
      if (vars === null) {
        stop();
        loading.value = false;
        return;
      }
      start(vars);
    },
    { immediate: true },
  );
  onScopeDispose(stop);

  return {
    loading,
    error,
    data,
    refetch: async () => {
      if (!observable) return;
      // The outcome arrives through the subscription; a failure shows as `error`.
      await observable.refetch().catch(() => undefined);
    },
  };
}

export interface MutationOutcome<TData> {
  data: TData | null;
  error: ErrorLike | null;
}

/** Runs a mutation and answers data or error instead of throwing, so callers branch on the error's code. */
export async function runMutation<TData, TVariables extends OperationVariables>(
  client: ApolloClient,
  mutation: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<MutationOutcome<TData>> {
  try {
    const result = await client.mutate<TData, TVariables>({ mutation, variables } as never);
    if (result.error) return { data: null, error: result.error };
    return { data: (result.data ?? null) as TData | null, error: null };
  } catch (e) {
    return { data: null, error: e as ErrorLike };
  }
}
