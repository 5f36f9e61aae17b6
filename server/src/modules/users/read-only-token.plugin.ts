import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '@gatehouse/shared';
import { GraphQLError } from 'graphql';
import type { GraphQLContext } from '../context.js';
import { mayChangeAnything } from '../access/index.js';

/**
 * A read-only API token may query and subscribe, never change anything: every mutation is refused before any
 * resolver runs, in one place, so no new mutation can forget the check.
 */
export function readOnlyTokenPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === 'mutation' && contextValue.actor && !mayChangeAnything(contextValue.actor)) {
            throw new GraphQLError('This API token is read-only', { extensions: { code: ErrorCode.FORBIDDEN, http: { status: 403 } } });
          }
        },
      };
    },
  };
}
