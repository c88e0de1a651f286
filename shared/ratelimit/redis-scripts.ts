/**
 * The Lua scripts of the Redis backend. Each runs atomically on the server with the server's clock
 * (TIME), so every instance shares one time base and one decision order. Kept short: they run for every
 * outbound provider call.
 */

/**
 * decide: KEYS = one key per level. ARGV[1] = max wait (µs), ARGV[2] = lease id, then four values per level:
 * kind ('r' rate | 'c' concurrency), a (emission interval µs | limit), b (tolerance µs | lease µs), and the
 * key's time to live in ms. Returns {allowed, wait or retry µs, denied level (1-based), is concurrency,
 * turn time µs}. Nothing is written unless every level agrees (expired leases are swept, which changes
 * no decision).
 *
 * Times are integer µs counted from 2023-11-14 (epoch second 1,700,000,000), written with '%d': turning a
 * Lua number into a string any other way costs a double formatting per write, the largest share of the
 * script's time. The client sends each key's TTL (≥ max wait + tolerance + interval, plus a minute): a key
 * that outlives its TAT reads as "now", and one that does not expire under the script spares Redis a lazy
 * delete inside the hot path.
 */
export const DECIDE_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000000 + t[2]
local wait, denied, tats = 0, 0, {}
for i = 1, #KEYS do
  local j = 4 * i - 1
  if ARGV[j] == 'r' then
    local tat = tonumber(redis.call('GET', KEYS[i])) or now
    if tat < now then tat = now end
    tats[i] = tat
    local w = tat - tonumber(ARGV[j + 2]) - now
    if w > wait then wait, denied = w, i end
  else
    redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
    if redis.call('ZCARD', KEYS[i]) >= tonumber(ARGV[j + 1]) then
      local first = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
      return {0, tonumber(first[2]) - now, i, 1, 0}
    end
  end
end
if wait > tonumber(ARGV[1]) then return {0, wait, denied, 0, 0} end
local at = now + wait
for i = 1, #KEYS do
  local j = 4 * i - 1
  if ARGV[j] == 'r' then
    local nt = math.max(tats[i], at) + tonumber(ARGV[j + 1])
    redis.call('SET', KEYS[i], string.format('%d', nt), 'PX', ARGV[j + 3])
  else
    redis.call('ZADD', KEYS[i], string.format('%d', now + tonumber(ARGV[j + 2])), ARGV[2])
    redis.call('PEXPIRE', KEYS[i], ARGV[j + 3])
  end
end
return {1, wait, 0, 0, at}
`;

/** block: KEYS[1] = rate key; ARGV = block µs, tolerance µs. Pushes the TAT so nothing passes earlier. */
export const BLOCK_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000000 + t[2]
local target = now + tonumber(ARGV[1]) + tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or 0
if tat < target then
  redis.call('SET', KEYS[1], string.format('%d', target), 'PX', math.ceil((target - now) / 1000) + 60000)
end
return 1
`;

/** Shared Lua: the factor in force now for a stored "factor penaltyTime" entry, after recovery. */
const EFFECTIVE_LUA = `
local function effective(entry, now, quiet, stepMs, step)
  local sep = string.find(entry, ' ', 1, true)
  local f, at = tonumber(string.sub(entry, 1, sep - 1)), tonumber(string.sub(entry, sep + 1))
  local q = now - at - quiet
  if q >= 0 then f = math.min(1, f + (math.floor(q / stepMs) + 1) * step) end
  return f
end
`;

/**
 * lower: KEYS[1] = the registry hash of throttled levels (field = level key, value = "factor penaltyTime").
 * ARGV = level key, multiplier, cap, quiet ms, step ms, step, min factor.
 * new factor = max(min, min(factor in force now × multiplier, cap)); returns {factor, penalty time} as strings.
 */
export const LOWER_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000 + t[2] / 1000
${EFFECTIVE_LUA}
local quiet, stepMs, step, minf = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local cur = 1
local entry = redis.call('HGET', KEYS[1], ARGV[1])
if entry then cur = effective(entry, now, quiet, stepMs, step) end
local f = math.max(minf, math.min(cur * tonumber(ARGV[2]), tonumber(ARGV[3])))
local value = string.format('%.6f %.3f', f, now)
redis.call('HSET', KEYS[1], ARGV[1], value)
return value
`;

/**
 * throttled: KEYS[1] = the registry hash; ARGV = quiet ms, step ms, step. Removes levels that have fully
 * recovered and returns the rest as a flat list {level key, "factor penaltyTime", …}. One read per instance
 * and refresh, however many levels exist: only throttled levels are listed.
 */
export const THROTTLED_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000 + t[2] / 1000
${EFFECTIVE_LUA}
local all = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #all, 2 do
  if effective(all[i + 1], now, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])) >= 1 then
    redis.call('HDEL', KEYS[1], all[i])
  else
    out[#out + 1] = all[i]
    out[#out + 1] = all[i + 1]
  end
end
return out
`;
