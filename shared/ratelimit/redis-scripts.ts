/**
 * The Lua scripts of the Redis backend. Each runs atomically on the server with the server's clock
 * (TIME), so every instance shares one time base and one decision order. Kept short: they run for every
 * outbound provider call.
 */

/**
 * decide: KEYS = one key per level. ARGV[1] = max wait (ms), ARGV[2] = lease id, then three values per
 * level: kind ('r' rate | 'c' concurrency), a (emission interval ms | limit), b (tolerance ms | lease ms).
 * Returns {allowed, waitOrRetryMs, deniedLevel (1-based), isConcurrency, turn time in µs}. Times count from 2023-11-14
 * (epoch second 1,700,000,000) so that Lua's 14-digit number format keeps microseconds. Nothing is
 * written unless every level agrees (expired leases are swept, which changes no decision).
 */
export const DECIDE_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000 + t[2] / 1000
local wait, denied, tats = 0, 0, {}
for i = 1, #KEYS do
  local j = 3 * i
  local a, b = tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2])
  if ARGV[j] == 'r' then
    local tat = tonumber(redis.call('GET', KEYS[i])) or now
    if tat < now then tat = now end
    tats[i] = tat
    local w = tat - b - now
    if w > wait then wait, denied = w, i end
  else
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
    if redis.call('ZCARD', KEYS[i]) >= a then
      local first = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
      return {0, math.ceil(tonumber(first[2]) - now), i, 1}
    end
  end
end
if wait > tonumber(ARGV[1]) then return {0, math.ceil(wait), denied, 0} end
local at = now + wait
for i = 1, #KEYS do
  local j = 3 * i
  if ARGV[j] == 'r' then
    local nt = math.max(tats[i], at) + tonumber(ARGV[j + 1])
    redis.call('SET', KEYS[i], nt, 'PX', math.ceil(nt - now) + 1)
  else
    local lease = tonumber(ARGV[j + 2])
    redis.call('ZADD', KEYS[i], now + lease, ARGV[2])
    redis.call('PEXPIRE', KEYS[i], math.ceil(lease) + 1000)
  end
end
return {1, math.ceil(wait), 0, 0, math.floor(at * 1000)}
`;

/** block: KEYS[1] = rate key; ARGV = block ms, tolerance ms. Pushes the TAT so nothing passes earlier. */
export const BLOCK_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000 + t[2] / 1000
local target = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or 0
if tat < target then
  redis.call('SET', KEYS[1], target, 'PX', math.ceil(target - now) + 1)
end
return 1
`;

/**
 * lower: KEYS[1] = adaptive hash (f, at). ARGV = multiplier, cap, quiet ms, step ms, step, min factor.
 * new factor = max(min, min(factor in force now (after recovery) × multiplier, cap)); returns
 * {factor, penalty time} as strings.
 */
export const LOWER_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000 + t[2] / 1000
local quiet, stepMs, step, minf = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local cur = 1
local s = redis.call('HMGET', KEYS[1], 'f', 'at')
if s[1] then
  cur = tonumber(s[1])
  local q = now - tonumber(s[2]) - quiet
  if q >= 0 then cur = math.min(1, cur + (math.floor(q / stepMs) + 1) * step) end
end
local f = math.max(minf, math.min(cur * tonumber(ARGV[1]), tonumber(ARGV[2])))
redis.call('HSET', KEYS[1], 'f', string.format('%.6f', f), 'at', string.format('%.3f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil(quiet + (math.ceil((1 - f) / step) + 1) * stepMs))
return {string.format('%.6f', f), string.format('%.3f', now)}
`;
