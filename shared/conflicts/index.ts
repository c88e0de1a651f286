/**
 * Conflict detection and resolution for bidirectional sync: a pure library (no I/O) that the inbound page
 * pipeline and the outbound worker call per record. See diff.ts for how fields are compared, resolve.ts for what
 * the pipeline writes, and conflict-document.ts for conflicts held for a person.
 */
export {
  diffThreeWay,
  conflictsOf,
  CHANGE_KINDS,
  type ChangeKind,
  type DiffOptions,
  type FieldDiff,
  type ThreeWayDiff,
} from './diff';
export { resolve, mergeRecord, baseAfterPush, type Decision, type HeldField, type Resolution } from './resolve';
export {
  validatePolicy,
  strategyFor,
  policyForStrategyName,
  policyForIntegration,
  conflictPolicySchema,
  CONFLICT_STRATEGIES,
  type ConflictStrategyName,
  strategySchema,
  type CompiledPolicy,
  type ConflictPolicy,
  type Strategy,
  type StrategyKind,
} from './policy';
export type { ResolveContext, Timestamp, Outcome } from './strategies';
export { RULE_TIMEOUT_MS } from './custom-rule';
export {
  applyManualResolution,
  buildConflictDocument,
  conflictId,
  manualChoicesSchema,
  type ConflictDocument,
  type ConflictField,
  type ConflictRecordRef,
  type ManualChoice,
  type ManualResolution,
} from './conflict-document';
export {
  applyPatch,
  isEmptyPatch,
  canonicalJson,
  valuesEqual,
  joinPath,
  splitPath,
  type FieldPatch,
  type FlatRecord,
  type JsonRecord,
} from './field-paths';
