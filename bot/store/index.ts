/**
 * The store: the `Store` contract, its SQLite and PostgreSQL implementations (`openStore` picks one from the
 * configuration) and the worker names that hold leases and claims in it.
 */

// Commonly used
export { deliveryStatuses, handoffReasons, handoffStatuses, officerRoles, verdicts } from './store.ts';
export type {
  AuditRecord,
  DeliveryStatus,
  DepartmentFilter,
  ExchangeFilter,
  ExchangeRecord,
  FeedbackRecord,
  HandoffReason,
  HandoffRecord,
  HandoffStatus,
  OfficerRecord,
  OfficerRole,
  OutboxRecord,
  PushRecord,
  ReviewedAnswerRecord,
  ReviewRecord,
  SessionRecord,
  SubscriptionRecord,
  Store,
  Verdict,
} from './store.ts';
export { describeStore, openStore } from './open-store.ts';

// Advanced
export { workerName } from './worker-name.ts';
