/**
 * Short-lived notification state: dedupe claims, repeat counters for escalation, digest slot claims, kept in
 * the key-value store under `notify:`. Redis when configured (shared by every instance, so one alert is sent
 * once across the app), memory otherwise. When Redis fails, memory answers for that call: a duplicate alert is
 * better than a lost one (NOTIFY_STATE_FALLBACK).
 */
import type { FallbackPolicy, KeyValueStore } from '../stores/kv';

export interface NotifyState {
  /** True for the first caller within ttlMs, false for the rest. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Counts calls within a window that starts with the first one. */
  increment(key: string, ttlMs: number): Promise<number>;
}

/** Every call tries Redis first (one queued through a short reconnect still lands there); memory answers a failed one. */
export const NOTIFY_STATE_FALLBACK: FallbackPolicy = { whileDown: 'try_shared' };

export function notifyStateOn(kv: KeyValueStore): NotifyState {
  return {
    claim: (key, ttlMs) => kv.claim(`notify:${key}`, ttlMs),
    increment: (key, ttlMs) => kv.increment(`notify:${key}`, ttlMs),
  };
}
