import { AuditEntry } from './audit/index.js';
import {
  Evidence,
  GateCondition,
  GateRequest,
  GateReview,
  GateTemplateRow,
  MeasureComment,
  SignOff,
} from './governance/index.js';
import { MeasurePackage, OrgUnit, Organisation, Program } from './hierarchy/index.js';
import { MeasureValue, Measure, Milestone } from './measures/index.js';
import { RoleGrant, UserSession, User } from './users/index.js';
import { ServiceCategory, SlaPolicy, Ticket, TicketGroup } from './tickets/index.js';

export const entities = [
  Organisation,
  OrgUnit,
  Program,
  MeasurePackage,
  User,
  RoleGrant,
  UserSession,
  Measure,
  MeasureValue,
  Milestone,
  GateTemplateRow,
  GateRequest,
  GateCondition,
  GateReview,
  Evidence,
  MeasureComment,
  SignOff,
  AuditEntry,
  Ticket,
  TicketGroup,
  ServiceCategory,
  SlaPolicy,
];
