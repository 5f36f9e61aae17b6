import { DUTY_ROLES, GRANTABLE_SCOPE_KINDS, isAllowed, type PersonDuty, Role, ScopeKind } from '@gatehouse/shared';
import type { DataSource } from 'typeorm';
import type { EventBus } from '../../events/event-bus.js';
import { badInput, conflict, notFound } from '../../common/domain-error.js';
import { assertId } from '../../common/ids.js';
import { inTransaction, txActor } from '../../common/transaction.js';
import { requiredText } from '../../common/validate.js';
import { type Actor, authorize, grantedScopeIds, navigableScopeIds, requireScope } from '../access/index.js';
import { assertAcceptablePassword } from './common-passwords.js';
import { hashPassword } from './password.js';
import { requireAdministeredPerson } from './people-scope.js';
import { RoleGrant } from './role-grant.entity.js';
import type { CreateUserInput } from './users.inputs.js';
import { User } from './user.entity.js';

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly bus: EventBus,
  ) {}

  async me(actor: Actor): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOneBy({ id: actor.userId });
    if (!user) throw notFound('User');
    return user;
  }

  /**
   * The people pickers' list (access policy, user.read): the people holding a role on a scope that contains or lies
   * within one of the caller's role scopes, so a steering member of a unit finds everyone they may invite to its
   * reviews; admins of the organisation list everyone, people without a role included. One statement, whatever
   * the number of people. The search looks at names, and at e-mail addresses only for those who may read them.
   */
  async list(actor: Actor, search?: string | null): Promise<User[]> {
    const everyone = isAllowed('user.readContact', actor, { path: [actor.organisation.id] });
    const granted = grantedScopeIds(actor);
    if (!everyone && granted.length === 0) return [];
    const qb = this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.organisation_id = :org', { org: actor.organisation.id })
      .orderBy('u.name')
      .limit(500);
    if (!everyone) {
      // A grant of theirs on a scope above or at one of ours (on our grants' paths), or below one of ours (its path crosses our grants).
      qb.andWhere(
        `EXISTS (SELECT 1 FROM role_grant g LEFT JOIN org_unit ou ON ou.id = g.scope_id LEFT JOIN program p ON p.id = g.scope_id
                  WHERE g.user_id = u.id AND (g.scope_id = ANY(CAST(:around AS uuid[])) OR COALESCE(ou.path, p.path) && CAST(:granted AS uuid[])))`,
        { around: [...navigableScopeIds(actor)], granted },
      );
    }
    const text = search?.trim();
    if (text) {
      const s = `%${escapeLike(text.slice(0, 100))}%`;
      if (everyone) qb.andWhere('(u.name ILIKE :s OR u.email ILIKE :s)', { s });
      else qb.andWhere('u.name ILIKE :s', { s });
    }
    return qb.getMany();
  }

  /**
   * Active people who qualify for a duty on a scope (shared `DUTY_ROLES`): the sponsors, controllers or review
   * chairs the server would accept there, so pickers offer only those. Any reader of the scope may ask.
   */
  async assignable(actor: Actor, scopeId: string, duty: PersonDuty): Promise<User[]> {
    const scope = await requireScope(this.dataSource.manager, scopeId, actor.organisation.id);
    authorize(actor, 'user.read', { path: scope.path });
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .where('u.organisation_id = :org AND u.active', { org: actor.organisation.id })
      .andWhere(
        `EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = u.id AND g.scope_id = ANY(CAST(:path AS uuid[])) AND g.role = ANY(CAST(:roles AS text[])))`,
        { path: scope.path, roles: [...DUTY_ROLES[duty]] },
      )
      .orderBy('u.name')
      .limit(500)
      .getMany();
  }

  async createUser(actor: Actor, input: CreateUserInput): Promise<User> {
    authorize(actor, 'user.create', { path: [actor.organisation.id] });
    const email = requiredText(input.email, 'email', 254).toLowerCase();
    if (!EMAIL.test(email)) throw badInput('email is not an e-mail address', { field: 'email' });
    const name = requiredText(input.name, 'name', 200);
    assertAcceptablePassword(input.password, 'password');
    // A password the admin typed is not the person's own: they change it at first sign-in (createUserInvite avoids it).
    const passwordHash = await hashPassword(input.password);
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      const taken = await manager.query(`SELECT 1 FROM app_user WHERE lower(email) = $1`, [email]);
      if (taken.length > 0) throw conflict('A user with this e-mail address exists already', { field: 'email' });
      const user = manager.getRepository(User).create({ organisationId: actor.organisation.id, email, name, passwordHash, active: true, mustChangePassword: true, passwordSetAt: new Date() });
      await manager.getRepository(User).insert(user);
      audit({ action: 'user.created', entityType: 'User', entityId: user.id, after: { email, name } });
      return manager.getRepository(User).findOneByOrFail({ id: user.id });
    });
  }

  async grantRole(actor: Actor, userId: string, role: Role, scopeId: string): Promise<RoleGrant> {
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      const scope = await requireScope(manager, scopeId, actor.organisation.id);
      if (!GRANTABLE_SCOPE_KINDS.includes(scope.kind)) {
        throw badInput('Roles are granted on the organisation, an org unit or a program', { field: 'scopeId' });
      }
      authorize(actor, 'role.grant', { path: scope.path });
      const user = await manager.getRepository(User).findOneBy({ id: assertId(userId, 'userId'), organisationId: actor.organisation.id });
      if (!user) throw notFound('User');
      const existing = await manager.getRepository(RoleGrant).findOneBy({ userId: user.id, role, scopeId: scope.id });
      if (existing) throw conflict(`${user.name} already holds ${role} here`);
      const grant = manager.getRepository(RoleGrant).create({
        userId: user.id,
        role,
        scopeId: scope.id,
        scopeKind: scope.kind as ScopeKind,
        grantedBy: actor.userId,
      });
      await manager.getRepository(RoleGrant).insert(grant);
      audit({ action: 'role.granted', entityType: 'User', entityId: user.id, after: { role, scopeId: scope.id, scopeKind: scope.kind } });
      return manager.getRepository(RoleGrant).findOneByOrFail({ id: grant.id });
    });
  }

  async revokeRole(actor: Actor, userId: string, role: Role, scopeId: string): Promise<boolean> {
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      const scope = await requireScope(manager, scopeId, actor.organisation.id);
      authorize(actor, 'role.revoke', { path: scope.path });
      const grant = await manager
        .getRepository(RoleGrant)
        .findOne({ where: { userId: assertId(userId, 'userId'), role, scopeId: scope.id }, lock: { mode: 'pessimistic_write' } });
      if (!grant) throw notFound('Role grant');
      if (role === Role.ADMIN && scope.kind === ScopeKind.ORGANISATION) {
        // Lock the organisation's admin grants so two concurrent revocations cannot both pass this check.
        const admins: unknown[] = await manager.query(
          `SELECT g.id FROM role_grant g JOIN app_user u ON u.id = g.user_id
            WHERE g.role = 'ADMIN' AND g.scope_id = $1 AND u.active FOR UPDATE OF g`,
          [scope.id],
        );
        if (admins.length <= 1) throw conflict('The organisation needs at least one admin');
      }
      await manager.getRepository(RoleGrant).delete({ id: grant.id });
      audit({ action: 'role.revoked', entityType: 'User', entityId: grant.userId, before: { role, scopeId: scope.id, scopeKind: scope.kind } });
      return true;
    });
  }

  /**
   * Deactivation signs the user out everywhere at once: every session is revoked in the same transaction, and
   * after commit their open WebSocket connections are closed (by every instance, through the event bus).
   */
  async deactivateUser(actor: Actor, userId: string): Promise<User> {
    const id = assertId(userId, 'userId');
    if (id === actor.userId) throw badInput('You cannot deactivate yourself', { field: 'userId' });
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit, afterCommit }) => {
      // An admin of the organisation, or of scopes holding every role of the person (identity/people-policy.ts).
      const user = await requireAdministeredPerson(manager, actor, 'user.deactivate', id, true);
      if (!user.active) throw conflict(`${user.name} is deactivated already`);
      // Lock the organisation's active admins so two concurrent deactivations cannot both pass this check.
      const admins: { user_id: string }[] = await manager.query(
        `SELECT g.user_id FROM role_grant g JOIN app_user u ON u.id = g.user_id
          WHERE g.role = 'ADMIN' AND g.scope_id = $1 AND u.active FOR UPDATE OF g`,
        [actor.organisation.id],
      );
      if (admins.some((a) => a.user_id === user.id) && admins.length <= 1) throw conflict('The organisation needs at least one active admin');
      await manager.query(`UPDATE app_user SET active = false WHERE id = $1`, [user.id]);
      await manager.query(`UPDATE password_link SET revoked_at = now() WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL`, [user.id]);
      const [, ended]: [unknown, number] = await manager.query(
        `UPDATE user_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`,
        [user.id],
      );
      audit({ action: 'user.deactivated', entityType: 'User', entityId: user.id, before: { active: true }, after: { active: false, sessionsEnded: ended } });
      afterCommit(() => this.bus.publish({ topic: 'sessionsRevoked', organisationId: actor.organisation.id, userId: user.id }));
      return manager.getRepository(User).findOneByOrFail({ id: user.id });
    });
  }

  /** Lets a deactivated user sign in again; their old sessions stay ended. */
  async reactivateUser(actor: Actor, userId: string): Promise<User> {
    const id = assertId(userId, 'userId');
    return inTransaction(this.dataSource, txActor(actor), async ({ manager, audit }) => {
      const user = await requireAdministeredPerson(manager, actor, 'user.reactivate', id, true);
      if (user.active) throw conflict(`${user.name} is active already`);
      await manager.query(`UPDATE app_user SET active = true WHERE id = $1`, [user.id]);
      audit({ action: 'user.reactivated', entityType: 'User', entityId: user.id, before: { active: false }, after: { active: true } });
      return manager.getRepository(User).findOneByOrFail({ id: user.id });
    });
  }
}

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
