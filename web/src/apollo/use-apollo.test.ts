import { effectScope, nextTick, ref } from 'vue';
import { describe, expect, it } from 'vitest';
import { OrgUnitsDocument } from '../graphql/generated';
import { fakeClient, until } from '../testing/fake-graphql';
import { useQuery } from './use-apollo';

const unit = (id: string, parentId: string | null) => ({ __typename: 'OrgUnit', id, name: `Unit ${id}`, parentId });

describe('useQuery', () => {
  it('follows reactive variables, keeps the previous data while the next loads, and refetches', async () => {
    let answered = 0;
    const { client, requests } = fakeClient(({ variables }) => {
      answered++;
      return { data: { orgUnits: [unit(`${variables.parentId ?? 'root'}-${answered}`, (variables.parentId as string) ?? null)] } };
    });
    const parentId = ref<string | null>(null);
    const scope = effectScope();
    const q = scope.run(() => useQuery(OrgUnitsDocument, () => ({ parentId: parentId.value }), { client }))!;

    await until(() => !q.loading.value);
    expect(q.data.value?.orgUnits[0].id).toBe('root-1');

    parentId.value = 'a';
    await nextTick();
    expect(q.loading.value).toBe(true);
    expect(q.data.value?.orgUnits[0].id).toBe('root-1');
    await until(() => !q.loading.value);
    expect(q.data.value?.orgUnits[0].id).toBe('a-2');

    await q.refetch();
    await until(() => q.data.value?.orgUnits[0].id === 'a-3');
    expect(requests.map((r) => r.variables.parentId)).toEqual([null, 'a', 'a']);
    scope.stop();
  });

  it('reports an error from the server by its code and pauses on null variables', async () => {
    const { client, requests } = fakeClient(() => ({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }));
    const enabled = ref(false);
    const scope = effectScope();
    const q = scope.run(() => useQuery(OrgUnitsDocument, () => (enabled.value ? { parentId: null } : null), { client }))!;
    expect(q.loading.value).toBe(false);
    expect(requests).toHaveLength(0);
    enabled.value = true;
    await until(() => q.error.value !== null);
    expect((q.error.value as unknown as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
    expect(q.data.value).toBeUndefined();
    scope.stop();
  });
});
