import { createCircuitBreaker } from './circuit-breaker';
import { isAppError } from '../../core/app-error';

const down = Object.assign(new Error('connect ECONNREFUSED'), { statusCode: undefined });
const notFound = Object.assign(new Error('BlobNotFound'), { statusCode: 404 });

function breaker() {
  let now = 0;
  const instance = createCircuitBreaker({
    name: 'the store',
    failureThreshold: 2,
    openMs: 5000,
    isOutage: (error) => (error as { statusCode?: number }).statusCode === undefined,
    now: () => now,
  });
  return { instance, advance: (ms: number) => (now += ms) };
}

describe('circuit breaker', () => {
  it('opens after consecutive outages and then fails fast with Retry-After, without calling', async () => {
    const { instance } = breaker();
    const failing = jest.fn(async () => Promise.reject(down));
    await expect(instance.run(failing)).rejects.toBe(down);
    await expect(instance.run(failing)).rejects.toBe(down);
    const fast = await instance.run(failing).catch((error: unknown) => error);
    expect(isAppError(fast) && fast.code === 'dependency_unavailable' && fast.retryAfterMs).toBe(5000);
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('lets one probe through when the time is up; its success closes it, its failure opens it again', async () => {
    const { instance, advance } = breaker();
    for (let i = 0; i < 2; i++) await instance.run(async () => Promise.reject(down)).catch(() => undefined);
    advance(5000);
    await expect(instance.run(async () => Promise.reject(down))).rejects.toBe(down);
    await expect(instance.run(async () => 'x')).rejects.toMatchObject({ code: 'dependency_unavailable' });
    advance(5000);
    await expect(instance.run(async () => 'ok')).resolves.toBe('ok');
    expect(instance.state).toBe('closed');
  });

  it('does not count answers (a 404) as outages', async () => {
    const { instance } = breaker();
    for (let i = 0; i < 5; i++) await expect(instance.run(async () => Promise.reject(notFound))).rejects.toBe(notFound);
    expect(instance.state).toBe('closed');
  });
});
