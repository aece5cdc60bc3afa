"""A small process that starts the timed polls for bench/run.py and reports wait4's numbers.

Why not start them from run.py itself: Linux carries a process's peak RSS across exec, so
a poll started by a runner that once held a large expected set would report the runner's
peak as its own. This launcher stays small, so its children's ru_maxrss is theirs.

Protocol: one JSON request per line on stdin ({"cmd", "env", "stdout", "stderr"}); it
answers {"pid"} when the child started, then {"status", "wall", "cpu", "maxrss_kb"}.
"""

import json
import os
import subprocess
import sys
import time

for line in sys.stdin:
    request = json.loads(line)
    with open(request["stdout"], "w") as out, open(request["stderr"], "w") as err:
        start = time.perf_counter()
        child = subprocess.Popen(request["cmd"], stdout=out, stderr=err, env=request["env"])
        print(json.dumps({"pid": child.pid}), flush=True)
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    answer = {
        "status": child.returncode,
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "maxrss_kb": usage.ru_maxrss,
    }
    print(json.dumps(answer), flush=True)
