import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/**
 * Money travels as a decimal string ("12500.00"), never a float. The scalar only insists on a string; the
 * services check the format and answer BAD_USER_INPUT naming the field, which a scalar error could not.
 */
export const MoneyScalar = new GraphQLScalarType<string, string>({
  name: 'Money',
  description: 'An exact decimal amount as a string with at most two fraction digits, e.g. "12500.00".',
  serialize: (value) => String(value),
  parseValue: (value) => {
    if (typeof value !== 'string') throw new GraphQLError('Money must be a string such as "12500.00"', { extensions: { code: 'BAD_USER_INPUT' } });
    return value;
  },
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Money must be a string such as "12500.00"', { extensions: { code: 'BAD_USER_INPUT' } });
    return ast.value;
  },
});
