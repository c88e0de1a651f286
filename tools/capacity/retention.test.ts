import { CONTAINERS } from '../../shared/stores/documents/cosmos/containers';
import { readDeployment } from './deployment';
import { PRODUCT_CONTAINERS, RETENTION } from './retention';

// A container the product writes must be in the model: its partition key (how its load spreads, from infra) and its
// retention (what it keeps). A container added to containers.ts without both fails here, not silently in the figures.
describe('every product container is in the capacity model', () => {
  const { partitionKeyOf } = readDeployment('default');

  it.each(PRODUCT_CONTAINERS)('%s has a partition key in infra and a retention rule', (name) => {
    expect(RETENTION).toHaveProperty([name]);
    expect(partitionKeyOf).toHaveProperty([name]);
  });

  it('keys each container as the product does', () => {
    for (const { name, partitionKey } of Object.values(CONTAINERS))
      expect(`/${partitionKeyOf[name]}`).toBe(partitionKey);
  });

  it('keeps no rule for a container the product no longer has', () => {
    expect(Object.keys(RETENTION).sort()).toEqual([...PRODUCT_CONTAINERS].sort());
  });
});
