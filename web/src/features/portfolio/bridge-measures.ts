import type { ApolloClient } from '@apollo/client';
import { BridgeMeasuresDocument, type BridgeMeasuresQuery } from '../../graphql/generated';

export type BridgeMeasure = BridgeMeasuresQuery['measures']['edges'][number]['node'];

/**
 * The measures behind a bridge movement. The API filters measures by scope but not by ids, so this pages through
 * the scope's measures (200 at a time) until every id is found; ids not found (outside the caller's roles now)
 * are answered as missing. Order follows `ids`.
 */
export async function loadMeasuresByIds(
  client: Pick<ApolloClient, 'query'>,
  scopeId: string | null,
  ids: readonly string[],
): Promise<{ found: BridgeMeasure[]; missing: string[] }> {
  const wanted = new Set(ids);
  const byId = new Map<string, BridgeMeasure>();
  let after: string | null = null;
  for (let page = 0; page < 50 && byId.size < wanted.size; page++) {
    const result: { data?: BridgeMeasuresQuery } = await client.query({ query: BridgeMeasuresDocument, variables: { scopeId, first: 200, after }, fetchPolicy: 'network-only' });
    const data: BridgeMeasuresQuery['measures'] | undefined = result.data?.measures;
    if (!data) break;
    for (const { node } of data.edges) if (wanted.has(node.id)) byId.set(node.id, node);
    if (!data.pageInfo.hasNextPage || !data.pageInfo.endCursor) break;
    after = data.pageInfo.endCursor;
  }
  return { found: ids.flatMap((id) => byId.get(id) ?? []), missing: ids.filter((id) => !byId.has(id)) };
}
