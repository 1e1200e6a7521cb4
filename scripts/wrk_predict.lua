-- wrk script: POST /api/predict with the strokes of a handwritten 7 (two strokes, 41 points, 280x280 canvas).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{"width":280,"height":280,"strokes":[[[82,62],[96,61],[110,60],[124,60],[138,59],[152,59],[166,58],[180,58],[194,58],[205,59],[204,66],[199,77],[193,89],[187,101],[181,113],[175,125],[170,137],[165,149],[160,161],[156,173],[152,185],[148,197],[145,209],[142,221]],[[110,140],[122,140],[134,139],[146,139],[158,138],[170,138],[182,138],[194,137],[206,137]],[[140,221],[141,222],[142,223],[143,222],[144,221],[145,220],[146,219],[147,218]]]}]==]

-- Report the status codes seen, so a benchmark of errors is never mistaken for a fast one.
local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("non-2xx/3xx: %d, socket errors: %d\n", summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
