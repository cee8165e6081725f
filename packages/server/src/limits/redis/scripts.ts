/**
 * The Lua scripts of the Redis limits backend. Each runs atomically inside Redis, so one admit is
 * one indivisible step across every replica. Times are integers of microseconds, formatted with
 * `%.0f` because Lua's default number-to-string conversion keeps only 14 digits.
 *
 * Keys of one user (all with the user id in a hash tag, so they live in one slot):
 *   <prefix>{<user>}:q:<quota day>  admitted calls of that quota day (a counter, expiring after the day)
 *   <prefix>{<user>}:w              the sliding window: admitted call ids scored by their time
 *   <prefix>{<user>}:l              concurrency leases: lease ids scored by their expiry in Redis time;
 *                                   expired ones are not counted and are removed by REFRESH
 */

/**
 * Admit: every check first, then every write, so a rejected call writes nothing (trimming the calls
 * that have left the window is housekeeping, not counting).
 *
 * KEYS: quota, window, leases.
 * ARGV: quotaPerDay, ratePerWindow, windowMs, concurrency (the three figures -1 when unlimited),
 * quota key TTL in ms, call id, lease TTL in ms, window clock: either `redis:<offset µs>` (Redis
 * TIME plus the movable clock's offset) or `at:<µs>` (the caller's time, for a single clock such as
 * tests').
 * Returns {0} when admitted, {20015}, {20023, retryAfterMs} or {20024}.
 */
export const ADMIT = `
local function fmt(n) return string.format('%.0f', n) end
local t = redis.call('TIME')
local real = tonumber(t[1]) * 1000000 + tonumber(t[2])
local clock = ARGV[8]
local now
if string.sub(clock, 1, 3) == 'at:' then now = tonumber(string.sub(clock, 4)) else now = real + tonumber(string.sub(clock, 7)) end
local quota = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local windowUs = tonumber(ARGV[3]) * 1000
local concurrency = tonumber(ARGV[4])

local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if quota >= 0 and used >= quota then return {20015} end

-- A call exactly one window old is out of the window.
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', fmt(now - windowUs))
local inWindow = redis.call('ZCARD', KEYS[2])
if rate >= 0 and inWindow >= rate then
  local retryUs = windowUs
  if rate > 0 then
    -- Admission needs the window down to rate - 1 calls: the call that gets it there must age out.
    local e = redis.call('ZRANGE', KEYS[2], inWindow - rate, inWindow - rate, 'WITHSCORES')
    retryUs = tonumber(e[2]) + windowUs - now
  end
  return {20023, math.ceil(retryUs / 1000)}
end

-- Expired leases (of a process that died) are not counted; REFRESH removes them.
if concurrency >= 0 and redis.call('ZCOUNT', KEYS[3], '(' .. fmt(real), '+inf') >= concurrency then return {20024} end

if redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
redis.call('ZADD', KEYS[2], fmt(now), ARGV[6])
-- The window key outlives its newest call by one window (plus the clock offset, which may be ahead).
redis.call('PEXPIRE', KEYS[2], fmt(math.max(windowUs, windowUs + now - real) / 1000 + 1000))
local expiry = real + tonumber(ARGV[7]) * 1000
redis.call('ZADD', KEYS[3], fmt(expiry), ARGV[6])
redis.call('PEXPIRE', KEYS[3], ARGV[7])
return {0}
`;

/**
 * Refresh the leases this process holds on one user: pushes their expiry to Redis TIME + TTL.
 * `ZADD XX` only updates members still there, so a lease released, expired or forgotten by a reset
 * is never brought back.
 * KEYS: leases. ARGV: lease TTL in ms, then the lease ids.
 */
export const REFRESH = `
local t = redis.call('TIME')
local ttl = tonumber(ARGV[1])
local expiry = string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2]) + ttl * 1000)
local refreshed = 0
-- Leases of processes that stopped refreshing (killed) go here rather than in every admit.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', tonumber(t[1]) * 1000000 + tonumber(t[2])))
for i = 2, #ARGV do
  refreshed = refreshed + redis.call('ZADD', KEYS[1], 'XX', 'CH', expiry, ARGV[i])
end
if refreshed > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return refreshed
`;

/**
 * Snapshot: reads only. KEYS: quota, window, leases. ARGV: windowMs, window clock as in ADMIT.
 * Returns {quota used, calls in the window, leases not expired}.
 */
export const SNAPSHOT = `
local t = redis.call('TIME')
local real = tonumber(t[1]) * 1000000 + tonumber(t[2])
local clock = ARGV[2]
local now
if string.sub(clock, 1, 3) == 'at:' then now = tonumber(string.sub(clock, 4)) else now = real + tonumber(string.sub(clock, 7)) end
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local cutoff = string.format('%.0f', now - tonumber(ARGV[1]) * 1000)
local inWindow = redis.call('ZCOUNT', KEYS[2], '(' .. cutoff, '+inf')
local inFlight = redis.call('ZCOUNT', KEYS[3], '(' .. string.format('%.0f', real), '+inf')
return {used, inWindow, inFlight}
`;
