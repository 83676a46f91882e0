-- wrk: registers a new, distinct Avro schema on every request. The record name carries a run
-- tag (SG_TAG), the wrk thread and a per-thread counter, so no two requests of any run send the
-- same schema; requests rotate over SG_SUBJECTS subjects named SG_SUBJECT_PREFIX0, 1, ...
local tag = os.getenv("SG_TAG")
local prefix = os.getenv("SG_SUBJECT_PREFIX")
local subjects = tonumber(os.getenv("SG_SUBJECTS"))
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

local counter = 0
local headers = {["Content-Type"] = "application/vnd.schemaregistry.v1+json"}

function request()
  counter = counter + 1
  local name = string.format("N_%s_%d_%d", tag, thread_id, counter)
  local body = string.format(
    '{"schema":"{\\"type\\":\\"record\\",\\"name\\":\\"%s\\",\\"fields\\":' ..
    '[{\\"name\\":\\"id\\",\\"type\\":\\"string\\"},{\\"name\\":\\"n\\",\\"type\\":\\"long\\"}]}"}',
    name)
  local path = string.format("/subjects/%s%d/versions", prefix, counter % subjects)
  return wrk.format("POST", path, headers, body)
end
