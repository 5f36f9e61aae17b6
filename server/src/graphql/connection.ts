import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

type ClassType<T> = new (...args: never[]) => T;

export interface ConnectionShape<T> {
  edges: { node: T; cursor: string }[];
  pageInfo: PageInfo;
  totalCount: Promise<number> | number;
}

/**
 * A Relay-style connection type for `node`. `totalCount` is computed only when the client asks for it: the
 * count is a second query over the whole filtered list.
 */
export function connectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node)
    node: T;

    @Field(() => String)
    cursor: string;
  }

  @ObjectType(`${name}Connection`)
  class Connection implements ConnectionShape<T> {
    @Field(() => [Edge])
    edges: Edge[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;

    /** Runs the count query; set by `of`. */
    count: () => Promise<number>;

    @Field(() => Int, { description: 'All items matching the filter, across pages.' })
    get totalCount(): Promise<number> {
      return this.count();
    }

    static of(nodes: T[], cursors: string[], hasNextPage: boolean, count: () => Promise<number>): Connection {
      const c = new Connection();
      c.edges = nodes.map((n, i) => Object.assign(new Edge(), { node: n, cursor: cursors[i] }));
      c.pageInfo = { hasNextPage, endCursor: cursors[cursors.length - 1] ?? null };
      c.count = count;
      return c;
    }
  }
  return Connection;
}
