/**
 * The Lua scripts of the Redis backend. Each runs atomically on the server with the server's clock
 * (TIME), so every instance shares one time base and one decision order. Kept short: they run for every
 * outbound provider call.
 */

/**
 * decide: KEYS[1] = the hash of every rate level's TAT (field = level key), KEYS[2..] = semaphore keys.
 * ARGV[1] = max wait (µs), ARGV[2] = lease id, then four values per level: 'r', field, emission interval
 * (µs), tolerance (µs) for a rate level; 'c', index into KEYS, limit, lease (µs) for a semaphore.
 * Returns {allowed, wait or retry µs, denied level (1-based), is concurrency, turn time µs}. Nothing is
 * written unless every level agrees (expired leases are swept, which changes no decision).
 *
 * Every rate level lives in one hash so that a decision is three Redis calls (TIME, HMGET, HSET) whatever
 * the number of levels; stale fields are removed by SWEEP_LUA. Times are integer µs counted from
 * 2023-11-14 (epoch second 1,700,000,000), written with '%d', the cheapest number-to-string in Redis's Lua.
 */
export const DECIDE_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000000 + t[2]
local n = (#ARGV - 2) / 4
local fields, at_level, tats = {}, {}, {}
for i = 1, n do
  if ARGV[4 * i - 1] == 'r' then
    fields[#fields + 1] = ARGV[4 * i]
    at_level[#at_level + 1] = i
  end
end
if #fields > 0 then
  local got = redis.call('HMGET', KEYS[1], unpack(fields))
  for k = 1, #fields do
    local tat = tonumber(got[k]) or now
    if tat < now then tat = now end
    tats[at_level[k]] = tat
  end
end
local wait, denied = 0, 0
for i = 1, n do
  local j = 4 * i - 1
  if ARGV[j] == 'r' then
    local w = tats[i] - tonumber(ARGV[j + 3]) - now
    if w > wait then wait, denied = w, i end
  else
    local key = KEYS[tonumber(ARGV[j + 1])]
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
    if redis.call('ZCARD', key) >= tonumber(ARGV[j + 2]) then
      local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      return {0, tonumber(first[2]) - now, i, 1, 0}
    end
  end
end
if wait > tonumber(ARGV[1]) then return {0, wait, denied, 0, 0} end
local at = now + wait
local writes = {}
for i = 1, n do
  local j = 4 * i - 1
  if ARGV[j] == 'r' then
    writes[#writes + 1] = ARGV[j + 1]
    writes[#writes + 1] = string.format('%d', math.max(tats[i], at) + tonumber(ARGV[j + 2]))
  else
    local key, lease = KEYS[tonumber(ARGV[j + 1])], tonumber(ARGV[j + 3])
    redis.call('ZADD', key, string.format('%d', now + lease), ARGV[2])
    redis.call('PEXPIRE', key, string.format('%d', math.ceil(lease / 1000) + 1000))
  end
end
if #writes > 0 then redis.call('HSET', KEYS[1], unpack(writes)) end
return {1, wait, 0, 0, at}
`;

/**
 * sweep: KEYS[1] = the TAT hash, KEYS[2] = the sweep cursor. ARGV = fields per step, keep (µs). One HSCAN
 * step: deletes fields whose TAT is more than `keep` in the past (an absent field reads as "now", so this
 * changes no decision) and stores the cursor for the next step. Returns how many were deleted.
 */
export const SWEEP_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000000 + t[2]
local res = redis.call('HSCAN', KEYS[1], redis.call('GET', KEYS[2]) or '0', 'COUNT', ARGV[1])
local items, stale, before = res[2], {}, now - tonumber(ARGV[2])
for i = 1, #items, 2 do
  if tonumber(items[i + 1]) < before then stale[#stale + 1] = items[i] end
end
if #stale > 0 then redis.call('HDEL', KEYS[1], unpack(stale)) end
redis.call('SET', KEYS[2], res[1])
return #stale
`;

/** block: KEYS[1] = the TAT hash; ARGV = field, block µs, tolerance µs. Pushes the TAT so nothing passes earlier. */
export const BLOCK_LUA = `
local t = redis.call('TIME')
local now = (t[1] - 1700000000) * 1000000 + t[2]
local target = now + tonumber(ARGV[2]) + tonumber(ARGV[3])
local tat = tonumber(redis.call('HGET', KEYS[1], ARGV[1])) or 0
if tat < target then redis.call('HSET', KEYS[1], ARGV[1], string.format('%d', target)) end
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
