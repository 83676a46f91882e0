-- wrk: the same POST on every request (a re-registration of an already-registered schema).
-- SG_BODY_FILE holds the exact JSON body, SG_PATH the request path.
local file = assert(io.open(os.getenv("SG_BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.path = os.getenv("SG_PATH")
wrk.headers["Content-Type"] = "application/vnd.schemaregistry.v1+json"
