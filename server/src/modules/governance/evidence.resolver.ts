import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../context.js';
import { User } from '../users/index.js';
import { evidenceFileTypeLabel } from '@gatehouse/shared';
import { Evidence, EvidenceFile } from './evidence.entity.js';

/** Where an evidence file downloads. */
export const evidenceFileUrl = (evidenceId: string) => `/evidence/${evidenceId}/file`;

@Resolver(() => Evidence)
export class EvidenceResolver {
  @FieldResolver(() => User)
  async createdBy(@Root() e: Evidence, @Ctx() ctx: GraphQLContext): Promise<User | null> {
    return ctx.loaders.user.load(e.createdById);
  }

  @FieldResolver(() => EvidenceFile, { nullable: true, description: 'The attached file, null for a link.' })
  file(@Root() e: Evidence): EvidenceFile | null {
    if (e.fileName == null || e.fileType == null || e.fileSize == null || e.fileSha256 == null) return null;
    return { name: e.fileName, type: e.fileType, typeLabel: evidenceFileTypeLabel(e.fileType), size: e.fileSize, sha256: e.fileSha256, downloadUrl: evidenceFileUrl(e.id) };
  }
}
