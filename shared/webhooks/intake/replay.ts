/**
 * Replaying an archived delivery through the same pipeline: the archive's integrity is checked (its body
 * hash must equal the one recorded at receipt); the signature's age is not checked again, since the
 * delivery was verified when it arrived. Each replay starts new runs and is recorded on the receipt with
 * who asked for it.
 */
import { AppError } from '../../core/app-error';
import type { Integration } from '../../core/integration';
import type { TraceContext } from '../../platform/observability/correlation';
import type { AppServices } from '../../app/services';
import type { Stored } from '../../core/stored';
import { sha256Hex } from '../../core/sha256';
import { readArchivedDelivery } from './archive';
import type { DeliveryReceipt } from './delivery-log';
import { enqueueEvents } from './receiver';
import type { WebhookProviderId } from '../verify/types';

type ReplayDeps = Pick<AppServices, 'runs' | 'queue' | 'now' | 'blob' | 'deliveryLog'>;

export async function replayDelivery(
  deps: ReplayDeps,
  integration: Stored<Integration>,
  receipt: DeliveryReceipt,
  by: string,
  trace: TraceContext,
): Promise<string[]> {
  if (receipt.verdict !== 'accepted' || !receipt.archiveBlob)
    throw new AppError('conflict', 'only accepted, archived deliveries can be replayed', { target: 'deliveryId' });
  const archived = await readArchivedDelivery(deps.blob, receipt.archiveBlob, receipt.deliveryId);
  if (!archived) throw new AppError('not_found', 'the archived payload is missing');
  if (sha256Hex(archived.rawBody) !== receipt.bodySha256 || archived.delivery.bodySha256 !== receipt.bodySha256) {
    throw new AppError(
      'conflict',
      'the archived payload does not match the hash recorded at receipt; refusing to replay',
      { target: 'archive' },
    );
  }
  const headers = archived.delivery.headers;
  const at = deps.now().toISOString();
  const runIds = await enqueueEvents(
    deps,
    integration,
    receipt.provider as WebhookProviderId,
    receipt.deliveryId,
    { rawBody: archived.rawBody, header: (name) => headers[name.toLowerCase()] },
    trace,
    `replay:${at}`,
  );
  await deps.deliveryLog.save({ ...receipt, replays: [...(receipt.replays ?? []), { at, by, runIds }] });
  return runIds;
}
