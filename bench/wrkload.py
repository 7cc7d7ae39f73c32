"""Run wrk over a fixed list of requests (round-robin) and read its figures back as JSON."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from common import fail, need_wrk

LUA = r"""
local reqs = %(requests)s
local threads, prepared, counter = {}, {}, 0
statuses = {}  -- global: done() reads it from each thread with thread:get
local nthreads = %(threads)d

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  for i, r in ipairs(reqs) do prepared[i] = wrk.format(r[1], r[2], r[3], r[4]) end
  counter = math.floor(tid * #prepared / nthreads)
end

function request()
  counter = counter %% #prepared + 1
  return prepared[counter]
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local codes = {}
  for _, t in ipairs(threads) do
    for code, n in pairs(t:get("statuses")) do codes[code] = (codes[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(codes) do table.insert(parts, string.format('"%%d": %%d', code, n)) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %%d, "duration_us": %%d, "bytes": %%d, "p50_us": %%d, "p95_us": %%d, "p99_us": %%d, ' ..
    '"max_us": %%d, "mean_us": %%.1f, "errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, ' ..
    '"timeout": %%d}, "statuses": {%%s}}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout,
    table.concat(parts, ", ")))
end
"""


def lua_string(text: str) -> str:
    """Quote a Python string as a Lua long-bracket-free string literal."""
    return '"' + "".join(c if c.isalnum() or c in " -_/.:=;,&%+" else f"\\{ord(c):03d}" for c in text) + '"'


def lua_requests(requests: list[tuple[str, str, dict, str | None]]) -> str:
    """Render (method, path, headers, body) tuples as a Lua table."""
    items = []
    for method, path, headers, body in requests:
        hdrs = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
        items.append(f"{{{lua_string(method)}, {lua_string(path)}, {{{hdrs}}}, {lua_string(body) if body else 'nil'}}}")
    return "{\n" + ",\n".join(items) + "\n}"


def run(url: str, requests: list[tuple[str, str, dict, str | None]], connections: int, seconds: float,
        threads: int = 2, cpus: str | None = None) -> dict:
    """Run wrk for `seconds` with `connections` open connections; return rps, percentiles and status counts."""
    wrk = need_wrk()
    threads = min(threads, connections)
    script = LUA % {"requests": lua_requests(requests), "threads": threads}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    cmd = [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds:g}s", "--timeout", "10s", "-s", f.name,
           url]
    if cpus:
        cmd = ["taskset", "-c", cpus, *cmd]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    finally:
        Path(f.name).unlink(missing_ok=True)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        fail(f"wrk printed no result (exit {out.returncode}): {out.stderr[-1000:]} {out.stdout[-1000:]}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds_run = raw["duration_us"] / 1e6
    ok = sum(n for code, n in raw["statuses"].items() if int(code) < 400)
    return {
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds_run, 1),
        "ok_rps": round(ok / seconds_run, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "statuses": raw["statuses"],
        "socket_errors": {k: v for k, v in raw["errors"].items() if k != "status" and v},
        "connections": connections,
        "seconds": round(seconds_run, 2),
    }
