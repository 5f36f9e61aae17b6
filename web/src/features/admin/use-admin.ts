import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { computed, ref, toValue, type MaybeRefOrGetter } from 'vue';
import { describeError } from '../../apollo/graphql-errors';
import { runMutation, useApolloClient, useQuery } from '../../apollo/use-apollo';
import {
  AdminArchiveOrgUnitDocument,
  AdminCreateMeasurePackageDocument,
  AdminCreateOrgUnitDocument,
  AdminCreateProgramDocument,
  AdminGrantRoleDocument,
  AdminMeasureSearchDocument,
  AdminRevokeRoleDocument,
  AdminStructureDocument,
  AdminUpdateGateTemplateDocument,
  AdminUpdateMeasurePackageDocument,
  AdminUpdateOrgUnitDocument,
  AdminUpdateProgramDocument,
  ExplainPermissionDocument,
  GateTemplateVersionsDocument,
  OrganisationSettingsDocument,
  RoleGrantPeopleDocument,
  ScopeRoleGrantsDocument,
  UpdateOrganisationSettingsDocument,
  type ExplainPermissionQueryVariables,
  type GateTemplateInput,
  type OrganisationSettingsInput,
  type Role,
  type UpdateMeasurePackageInput,
  type UpdateOrgUnitInput,
  type UpdateProgramInput,
} from '../../graphql/generated';

export type AdminOutcome = { ok: true } | { ok: false; message: string };

/** Runs one admin mutation: the server's refusal in words, or ok after the given queries were read again. */
function useAdminAction() {
  const client = useApolloClient();
  const busy = ref(false);
  async function act<TData, TVars extends OperationVariables>(
    doc: TypedDocumentNode<TData, TVars>,
    variables: TVars,
    what: string,
    after: () => Promise<void>,
  ): Promise<AdminOutcome> {
    busy.value = true;
    try {
      const { error } = await runMutation(client, doc, variables);
      if (error) return { ok: false, message: `${what} failed. ${describeError(error)}` };
      await after();
      return { ok: true };
    } finally {
      busy.value = false;
    }
  }
  return { busy, act };
}

/** The structure the admin administers, and the changes they make to it. */
export function useAdminStructure() {
  const query = useQuery(AdminStructureDocument, {});
  const { busy, act } = useAdminAction();
  const refetch = () => query.refetch();
  return {
    query,
    busy,
    structure: computed(() => query.data.value?.adminStructure ?? null),
    createOrgUnit: (name: string, parentId: string | null) => act(AdminCreateOrgUnitDocument, { input: { name, parentId } }, 'Creating the org unit', refetch),
    updateOrgUnit: (id: string, input: UpdateOrgUnitInput) => act(AdminUpdateOrgUnitDocument, { id, input }, 'Saving the org unit', refetch),
    archiveOrgUnit: (id: string) => act(AdminArchiveOrgUnitDocument, { id }, 'Archiving the org unit', refetch),
    createProgram: (name: string, orgUnitId: string, objective: string | null) =>
      act(AdminCreateProgramDocument, { input: { name, orgUnitId, objective } }, 'Creating the program', refetch),
    updateProgram: (id: string, input: UpdateProgramInput) => act(AdminUpdateProgramDocument, { id, input }, 'Saving the program', refetch),
    createPackage: (name: string, programId: string, ownerId: string | null) =>
      act(AdminCreateMeasurePackageDocument, { input: { name, programId, ownerId } }, 'Creating the package', refetch),
    updatePackage: (id: string, input: UpdateMeasurePackageInput) => act(AdminUpdateMeasurePackageDocument, { id, input }, 'Saving the package', refetch),
  };
}

/** People for the pickers (admins of the organisation see everyone; others those around their scopes). */
export function usePeople() {
  const query = useQuery(RoleGrantPeopleDocument, { search: null });
  return computed(() => query.data.value?.users ?? []);
}

/** The grants around one scope, with grant and revoke. */
export function useScopeGrants(scopeId: MaybeRefOrGetter<string | null>) {
  const query = useQuery(ScopeRoleGrantsDocument, () => {
    const id = toValue(scopeId);
    return id ? { scopeId: id } : null;
  });
  const { busy, act } = useAdminAction();
  const refetch = () => query.refetch();
  return {
    query,
    busy,
    grants: computed(() => query.data.value?.scopeRoleGrants ?? []),
    grant: (userId: string, role: Role, scope: string) => act(AdminGrantRoleDocument, { userId, role, scopeId: scope }, 'Granting the role', refetch),
    revoke: (userId: string, role: Role, scope: string) => act(AdminRevokeRoleDocument, { userId, role, scopeId: scope }, 'Revoking the role', refetch),
  };
}

/** Measures matching a search, for the "why not?" panel. */
export function useMeasureSearch(search: MaybeRefOrGetter<string>) {
  const query = useQuery(AdminMeasureSearchDocument, () => ({ search: toValue(search).trim() || null }));
  return computed(() => query.data.value?.measures.edges.map((e) => e.node) ?? []);
}

/** The server's explanation for the question asked, once all three parts are chosen. */
export function useExplanation(question: MaybeRefOrGetter<ExplainPermissionQueryVariables | null>) {
  const query = useQuery(ExplainPermissionDocument, question, { fetchPolicy: 'network-only' });
  return { query, answer: computed(() => query.data.value?.explainPermission ?? null) };
}

/** Gate template versions (newest first) and saving a new one. */
export function useGateTemplateVersions() {
  const query = useQuery(GateTemplateVersionsDocument, {});
  const { busy, act } = useAdminAction();
  return {
    query,
    busy,
    versions: computed(() => query.data.value?.gateTemplateVersions ?? []),
    save: (input: GateTemplateInput) => act(AdminUpdateGateTemplateDocument, { input }, 'Saving the gate template', () => query.refetch()),
  };
}

/** Currency, status thresholds and DoI probabilities. */
export function useOrganisationSettings() {
  const query = useQuery(OrganisationSettingsDocument, {});
  const { busy, act } = useAdminAction();
  return {
    query,
    busy,
    settings: computed(() => query.data.value?.organisation ?? null),
    save: (input: OrganisationSettingsInput) => act(UpdateOrganisationSettingsDocument, { input }, 'Saving the settings', () => query.refetch()),
  };
}
