/**
 * The webhooks benchmark's account of accepted deliveries: the intake's commits (a receipt saved), per delivery
 * id, against the 2xx answers the load generator saw. A delivery answered 2xx whose receipt was never committed
 * is lost; one committed more than once is doubled. Observing the intake changes nothing it does.
 */
import type { AcceptedDelivery, CommittedDelivery } from '../../../shared/webhooks/intake/intake';

export interface IntakeObserver {
  /** Received → saved (ms) of each delivery committed since the last reset. */
  savedMs: number[];
  /** Commits per delivery id since the observer was installed. */
  commits: Map<string, number>;
  /** Commits, and the record ids their deliveries' events named, since the observer was installed. */
  committed: number;
  recordIds: number;
}

/** Wraps the intake's commit: every resolved commit is a saved receipt. */
export function observeIntake(intake: {
  commit(delivery: AcceptedDelivery): Promise<CommittedDelivery>;
}): IntakeObserver {
  const observer: IntakeObserver = { savedMs: [], commits: new Map(), committed: 0, recordIds: 0 };
  const commit = intake.commit.bind(intake);
  intake.commit = async (delivery) => {
    const committed = await commit(delivery);
    observer.savedMs.push(committed.savedAt - delivery.receivedAt);
    observer.commits.set(delivery.deliveryId, (observer.commits.get(delivery.deliveryId) ?? 0) + 1);
    observer.committed++;
    for (const start of delivery.starts) observer.recordIds += start.run.ids?.length ?? 0;
    return committed;
  };
  return observer;
}

export interface DeliveryAccount {
  /** Distinct deliveries answered 2xx. */
  accepted: number;
  /** Answered 2xx, never committed. */
  lost: number;
  /** Committed more than once. */
  doubled: number;
}

export function accountDeliveries(
  acceptedIds: Iterable<string>,
  commits: ReadonlyMap<string, number>,
): DeliveryAccount {
  const accepted = new Set(acceptedIds);
  let lost = 0;
  for (const id of accepted) if (!commits.has(id)) lost++;
  let doubled = 0;
  for (const count of commits.values()) if (count > 1) doubled++;
  return { accepted: accepted.size, lost, doubled };
}
