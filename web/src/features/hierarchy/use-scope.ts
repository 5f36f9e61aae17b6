import { computed, ref, watch, type ComputedRef, type Ref } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { useSession } from '../session/session-store';
import type { ScopeNode } from './hierarchy-tree';
import { useHierarchy } from './use-hierarchy';

export interface ScopeState {
  /** The chosen scope id from `?scope=`, or the organisation's. */
  scopeId: ComputedRef<string | null>;
  /** True when the URL names a scope (not the whole organisation by default). */
  explicit: ComputedRef<boolean>;
  /** Breadcrumb from the organisation to the scope; empty while resolving or when unknown. */
  path: Ref<ScopeNode[]>;
  resolving: Ref<boolean>;
  unknown: Ref<boolean>;
  /** Keeps the current page, changes the scope, and drops paging (a cursor belongs to the old list). */
  setScope(id: string | null): void;
}

/** The scope lives in the URL (`?scope=<id>`), so reloads, links and the back button keep it. */
export function useScope(): ScopeState {
  const route = useRoute();
  const router = useRouter();
  const session = useSession();
  const hierarchy = useHierarchy();
  const path = ref<ScopeNode[]>([]);
  const resolving = ref(false);
  const unknown = ref(false);

  const queryScope = computed(() => (typeof route.query.scope === 'string' && route.query.scope ? route.query.scope : null));
  const scopeId = computed(() => queryScope.value ?? session.organisation.value?.id ?? null);

  watch(
    scopeId,
    async (id) => {
      if (!id) return;
      resolving.value = true;
      const resolved = await hierarchy.resolvePath(id);
      if (id !== scopeId.value) return;
      path.value = resolved;
      unknown.value = resolved.length === 0;
      resolving.value = false;
    },
    { immediate: true },
  );

  return {
    scopeId,
    explicit: computed(() => queryScope.value !== null),
    path,
    resolving,
    unknown,
    setScope(id) {
      const query = { ...route.query };
      delete query.after;
      delete query.page;
      if (id && id !== session.organisation.value?.id) query.scope = id;
      else delete query.scope;
      void router.push({ path: route.path, query });
    },
  };
}
