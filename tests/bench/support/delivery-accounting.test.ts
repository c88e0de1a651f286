import type { AcceptedDelivery, CommittedDelivery } from '../../../shared/webhooks/intake/intake';
import { accountDeliveries, observeIntake } from './delivery-accounting';

describe('webhooks benchmark: delivery accounting', () => {
  it('counts a 2xx without a commit as lost and a delivery committed twice as doubled', () => {
    const commits = new Map([
      ['a', 1],
      ['b', 2],
      ['d', 1],
    ]);
    expect(accountDeliveries(['a', 'b', 'c', 'a'], commits)).toEqual({ accepted: 3, lost: 1, doubled: 1 });
  });

  it('records each resolved commit per delivery id and the record ids it named, and none for a failed one', async () => {
    let fail = false;
    const intake = {
      commit: async (delivery: AcceptedDelivery): Promise<CommittedDelivery> => {
        if (fail) throw new Error('not saved');
        return { runIds: [], archiveBlob: 'x', bodySha256: 'y', savedAt: delivery.receivedAt + 7 };
      },
    };
    const observer = observeIntake(intake);
    const delivery = {
      deliveryId: 'd1',
      receivedAt: 1000,
      starts: [{ run: { ids: ['5', '6'] } }],
    } as unknown as AcceptedDelivery;
    await intake.commit(delivery);
    await intake.commit(delivery);
    fail = true;
    await expect(intake.commit({ ...delivery, deliveryId: 'd2' })).rejects.toThrow('not saved');
    expect(observer.commits).toEqual(new Map([['d1', 2]]));
    expect(observer.savedMs).toEqual([7, 7]);
    expect(observer.committed).toBe(2);
    expect(observer.recordIds).toBe(4);
  });
});
