import { computed, reactive, ref, watch, type ComputedRef, type Ref } from 'vue';
import { keepEditedRows } from './decision-form';

/**
 * A live list whose rows may hold a form being typed in: rows that leave the list while someone types in them
 * stay (marked `gone`) until the form is left, so a live update never takes input away.
 */
export function useKeptRows<T extends { id: string }>(latest: Ref<T[] | undefined> | ComputedRef<T[] | undefined>) {
  const editing = reactive(new Set<string>());
  const shown = ref<T[]>([]) as Ref<T[]>;
  const gone = ref(new Set<string>());
  watch(
    [latest, () => editing.size],
    ([rows]) => {
      if (!rows) return;
      const kept = keepEditedRows(rows, shown.value, editing);
      shown.value = kept.rows;
      gone.value = kept.gone;
    },
    { immediate: true },
  );
  return {
    rows: computed(() => shown.value),
    gone: computed(() => gone.value),
    setEditing(id: string, touched: boolean) {
      if (touched) editing.add(id);
      else editing.delete(id);
    },
  };
}
