-- Runs first in every Lua state the runner makes: Redis's `redis` object, its error handler,
-- `pcall` as Redis 7 changes it, and the sandbox. `host` holds the Rust functions (lib.rs).
local host = ...
local dbg = debug
debug = nil
local G = _G
local error, type, tostring, rawget, rawset, select, unpack = error, type, tostring, rawget, rawset, select, unpack
local setmetatable, xpcall, setfenv, getinfo, sethook = setmetatable, xpcall, setfenv, dbg.getinfo, dbg.sethook
local lua_pcall = pcall

-- luaPushErrorBuff: "-CODE msg" keeps its code, anything else gets ERR.
local function err_table(msg)
  if msg:sub(1, 1) == '-' then
    local sp = msg:find(' ', 1, true)
    if sp then
      msg = msg:sub(2, sp - 1) .. ' ' .. msg:sub(sp + 1)
    else
      msg = 'ERR ' .. msg:sub(2)
    end
  else
    msg = 'ERR ' .. msg
  end
  return {err = (msg:gsub('^[\r\n]+', ''):gsub('[\r\n]+$', ''))}
end

-- The frame that raised, as Redis's __redis__err__handler finds it: the first one that is
-- neither a C function nor this file.
local function handler(err)
  local level, info = 2, nil
  repeat
    info = getinfo(level, 'nSl')
    level = level + 1
  until not info or (info.what ~= 'C' and info.source ~= '=redis')
  if type(err) == 'string' and err:sub(1, 1) == '\1' then
    err = {err = err:sub(2)}
  elseif type(err) == 'string' and err:sub(1, 1) == '\3' then
    -- redis.call's error: the engine counted it when it answered.
    err = {err = err:sub(2), ignore_error_stats_update = true}
  elseif type(err) == 'string' and err:sub(1, 1) == '\2' then
    local where = info and (info.short_src .. ':' .. info.currentline .. ': ') or ''
    err = {err = 'ERR ' .. where .. err:sub(2)}
  elseif type(err) ~= 'table' then
    err = {err = 'ERR ' .. tostring(err)}
  end
  if info then
    err.source = info.source
    err.line = info.currentline
  end
  return err
end

-- call, pcall and setresp are bound for each run (boot.bind): they reach the run's client.
local redis = {sha1hex = host.sha1hex, log = host.log, set_repl = host.set_repl}
function redis.error_reply(...)
  local msg = ...
  if select('#', ...) ~= 1 or type(msg) ~= 'string' then return err_table('wrong number or type of arguments') end
  if msg:sub(1, 1) ~= '-' then msg = '-' .. msg end
  return err_table(msg)
end
function redis.status_reply(...)
  local msg = ...
  if select('#', ...) ~= 1 or type(msg) ~= 'string' then return err_table('wrong number or type of arguments') end
  return {ok = msg}
end
function redis.replicate_commands() return true end
function redis.breakpoint() return false end
function redis.debug() end
redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING = 0, 1, 2, 3
redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL = 0, 1, 2, 2, 3
redis.REDIS_VERSION, redis.REDIS_VERSION_NUM = '7.4.1', 0x070401
G.redis = redis

-- Redis 7's pcall hands back an error table's `err` text.
function G.pcall(f, ...)
  local res = {lua_pcall(f, ...)}
  if not res[1] and type(res[2]) == 'table' and type(res[2].err) == 'string' then
    res[2] = res[2].err
  elseif not res[1] and type(res[2]) == 'string' and res[2]:find('^[\1\2\3]') then
    res[2] = res[2]:sub(2)
  end
  return unpack(res, 1, table.maxn(res))
end

G.os = {clock = host.clock}
G.bit, G.cjson, G.cmsgpack, G.struct = host.bit, host.cjson, host.cmsgpack, host.struct
G.print, G.dofile, G.loadfile = nil, nil, nil

-- The sandbox: scripts see the globals through `env`, which refuses writes and unknown names
-- with Redis's texts. `api` is what names resolve to (the library API while FUNCTION LOAD runs).
-- Read-only tables, as Redis's Lua marks them: writes, and setmetatable on them, fail with
-- "Attempt to modify a readonly table"; getmetatable gives a read-only table too.
local frozen = setmetatable({}, {__mode = 'k'})
local function refuse() error('Attempt to modify a readonly table', 2) end
local frozen_meta = setmetatable({}, {__newindex = refuse, __metatable = false})
frozen[frozen_meta] = true
local function readonly(t)
  local proxy = setmetatable({}, {__index = t, __newindex = refuse, __metatable = frozen_meta})
  frozen[proxy] = true
  return proxy
end
-- Redis's Lua loads no precompiled chunks.
local lua_loadstring = loadstring
function G.loadstring(s, ...)
  if type(s) == 'string' and s:byte(1) == 27 then return nil, 'binary chunks are not allowed' end
  return lua_loadstring(s, ...)
end

local lua_setmetatable = setmetatable
function G.setmetatable(t, mt)
  if frozen[t] then error('Attempt to modify a readonly table', 2) end
  return lua_setmetatable(t, mt)
end
local math_lib, os_lib = G.math, G.os
for _, name in ipairs({'redis', 'cjson', 'cmsgpack', 'bit', 'struct', 'string', 'math', 'table', 'coroutine'}) do
  G[name] = readonly(G[name])
end

local api = G
local env = lua_setmetatable({}, {
  __index = function(_, k)
    local v = api[k]
    if v == nil then
      error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
    end
    return v
  end,
  __newindex = refuse,
  __metatable = frozen_meta,
})
frozen[env] = true
G._G = env
setfenv(0, env)

-- Stop a script when the host says so; the runner makes the stop uncatchable.
local poll
local function hook()
  -- The running line names the place in a kill's error.
  local info = getinfo(2, 'l')
  local stop = poll(info and info.currentline or 1)
  if stop then error({err = stop}) end
end

local function protected(f)
  sethook(hook, '', 10000)
  local ok, reply = xpcall(f, handler)
  sethook()
  -- What a script managed to rawset into its globals goes with it.
  for k in next, env do rawset(env, k, nil) end
  return ok, reply
end

local boot = {}

-- This run's host functions.
function boot.bind(h)
  redis.call, redis.pcall, redis.setresp = h.call, h.pcall, h.setresp
  redis.acl_check_cmd = h.acl_check_cmd
  math_lib.random, math_lib.randomseed = h.random, h.randomseed
  os_lib.clock = h.clock or host.clock
  poll = h.poll
end

function boot.eval(f, keys, argv)
  rawset(G, 'KEYS', keys)
  rawset(G, 'ARGV', argv)
  setfenv(f, env)
  return protected(f)
end

-- FUNCTION LOAD: run the library's code with only the loading API; returns the functions it
-- registered as {name, callback, description, flags...}.
function boot.load(f)
  local registered, names = {}, {}
  local lib_redis = {}
  for _, k in ipairs({'log', 'LOG_DEBUG', 'LOG_VERBOSE', 'LOG_NOTICE', 'LOG_WARNING', 'REDIS_VERSION',
                      'REDIS_VERSION_NUM'}) do
    lib_redis[k] = redis[k]
  end
  local loading = true
  local function register(...)
    if not loading then error(err_table('redis.register_function can only be called on FUNCTION LOAD command')) end
    local n, name, callback, description, flags = select('#', ...), ...
    if n == 1 then
      local args = name
      if type(args) ~= 'table' then
        error(err_table('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).'))
      end
      name, flags = nil, {}
      for k, v in pairs(args) do
        if type(k) ~= 'string' then error(err_table('named argument key given to redis.register_function is not a string')) end
        local key = k:lower()
        if key == 'function_name' then
          if type(v) ~= 'string' then error(err_table('function_name argument given to redis.register_function must be a string')) end
          name = v
        elseif key == 'description' then
          if type(v) ~= 'string' then error(err_table('description argument given to redis.register_function must be a string')) end
          description = v
        elseif key == 'callback' then
          if type(v) ~= 'function' then error(err_table('callback argument given to redis.register_function must be a function')) end
          callback = v
        elseif key == 'flags' then
          if type(v) ~= 'table' then error(err_table('flags argument to redis.register_function must be a table representing function flags')) end
          for _, flag in ipairs(v) do
            if not host.known_flag(flag) then error(err_table('unknown flag given')) end
            flags[#flags + 1] = flag
          end
        else
          error(err_table('unknown argument given to redis.register_function'))
        end
      end
      if not name then error(err_table('redis.register_function must get a function name argument')) end
      if not callback then error(err_table('redis.register_function must get a callback argument')) end
    elseif n == 2 then
      if type(name) ~= 'string' then error(err_table('first argument to redis.register_function must be a string')) end
      if type(callback) ~= 'function' then error(err_table('second argument to redis.register_function must be a function')) end
      flags = {}
    else
      error(err_table('wrong number of arguments to redis.register_function'))
    end
    if not name:match('^[%w_]+$') then
      error(err_table('Library names can only contain letters, numbers, or underscores(_) and must be at least one character long'))
    end
    if names[name] then error(err_table('Function already exists in the library')) end
    names[name] = true
    registered[#registered + 1] = {name, callback, description or false, flags}
  end
  lib_redis.register_function = register
  -- Loading sees only this read-only `redis`: any other name is an error, as in Redis.
  local lib_view = lua_setmetatable({}, {
    __index = function(_, k)
      local v = lib_redis[k]
      if v == nil then error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2) end
      return v
    end,
    __newindex = refuse,
    __metatable = frozen_meta,
  })
  frozen[lib_view] = true
  api = {redis = lib_view}
  setfenv(f, env)
  local ok, err = protected(f)
  api = G
  loading = false
  if not ok then return false, err end
  return true, registered
end

-- The running line of the script calling redis.call (levels: getinfo, this, redis.call).
function boot.line()
  local info = getinfo(3, 'l')
  return info and info.currentline or 1
end

function boot.fcall(callback, keys, argv)
  return protected(function() return callback(keys, argv) end)
end

return boot
