import { computed, ref, shallowRef, type ComputedRef, type Ref } from 'vue';
import { dirtyKeys, rebaseDraft, strictSame, type DraftRecord, type SameValue } from './draft-rebase';

export interface Draft<T extends DraftRecord> {
  /** The server state the input started from; null before the first load. */
  base: Ref<T | null>;
  /** What the inputs show and the person types into. */
  values: Ref<T>;
  collisions: Ref<DraftRecord>;
  updated: Ref<string[]>;
  dirty: ComputedRef<string[]>;
  /** Newer server state arrived: keep typed fields, take the rest, report collisions. */
  rebase(latest: T): void;
  /** Saved or discarded: start over from this server state. */
  reset(latest: T): void;
  /** Take the newer server value for a collided field instead of the typed one. */
  takeLatest(key: string): void;
}

export function useDraft<T extends DraftRecord>(same: SameValue = strictSame): Draft<T> {
  const base = shallowRef(null) as Ref<T | null>;
  const values = ref({}) as Ref<T>;
  const collisions = ref<DraftRecord>({});
  const updated = ref<string[]>([]);

  const reset = (latest: T) => {
    base.value = { ...latest };
    values.value = { ...latest };
    collisions.value = {};
    updated.value = [];
  };

  return {
    base,
    values,
    collisions,
    updated,
    dirty: computed(() => (base.value ? dirtyKeys(base.value, values.value, same) : [])),
    rebase(latest) {
      if (!base.value) return reset(latest);
      const result = rebaseDraft(base.value, values.value, latest, same);
      base.value = result.base as T;
      values.value = result.values as T;
      collisions.value = result.collisions;
      updated.value = result.updated;
    },
    reset,
    takeLatest(key) {
      if (!(key in collisions.value)) return;
      values.value = { ...values.value, [key]: collisions.value[key] };
      const { [key]: _taken, ...rest } = collisions.value;
      void _taken;
      collisions.value = rest;
    },
  };
}
