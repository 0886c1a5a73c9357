#!/usr/bin/env bash
# Deadline-day load test against the production stack: start `make serve` first (other terminal), then
#
#   bench/load_test.sh                 # 50 users, 5 minutes, http://127.0.0.1:8000
#   USERS=10 DURATION=1m PORT=8040 bench/load_test.sh
#
# 1. prepares the demo database of the stack: one entry officer `load-<unit>` per Tam Đường unit (password
#    demo12345!), their submissions on the open plan 251-CV/BTGHU reset, the district report on 132-HD/BTGTU;
# 2. runs locust headless (bench/locustfile.py), bounded in users and time, on loopback only;
# 3. checks that no acknowledged write was lost: every unit's stored figures equal the last figures the
#    server acknowledged, every acknowledged submit is in the database as submitted or accepted;
# 4. prints p50/p95/p99 and errors per request kind (bench/out/locust_stats.csv has everything).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PYTHON="$ROOT/.venv/bin/python"
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-5}
DURATION=${DURATION:-5m}
OUT="$ROOT/bench/out"
mkdir -p "$OUT"

case "$HOST" in 127.0.0.1|localhost|::1) ;; *) echo "load tests run on loopback only" >&2; exit 2 ;; esac
curl -fsS "http://$HOST:$PORT/healthz/" >/dev/null \
    || { echo "nothing healthy on http://$HOST:$PORT/ — start the stack with make serve" >&2; exit 1; }

export DATABASE_URL
DATABASE_URL=$(scripts/serve.sh env | sed -n 's/^DATABASE_URL=//p')
unset PRODUCTION DEBUG DJANGO_SETTINGS_MODULE

echo "==> preparing load users and data"
"$PYTHON" manage.py shell -c '
import json
from django.contrib.auth import get_user_model
from django.db import transaction
from demo.users import DEMO_PASSWORD
from reports.plans.models import Plan
from reports.submissions.models import Submission
from units.models import Staff, Unit

User = get_user_model()
plan = Plan.objects.get(reference="251-CV/BTGHU")
district = Unit.objects.get(code="tam-duong")
units = [district] + [u for u in district.get_children().order_by("path")
                      if u.code not in ("tam-duong-khun-ha", "tam-duong-binh-lu")]
with transaction.atomic():
    hasher_user = User(username="x")
    hasher_user.set_password(DEMO_PASSWORD)
    for unit in units:
        user, _ = User.objects.get_or_create(username=f"load-{unit.code}")
        user.password = hasher_user.password
        user.first_name, user.last_name = "Tải", "Thử"
        user.save()
        Staff.objects.update_or_create(user=user, defaults={"unit": unit, "title": "Cán bộ (kiểm thử tải)",
                                                           "is_entry": True, "is_reviewer": False,
                                                           "is_leader": False, "is_unit_admin": False})
    # A fresh start: the load units have not begun their submissions.
    Submission.objects.filter(plan=plan, unit__in=units).delete()
report_pk = ""
try:
    from reports.documents.services import report_get_or_create
    report = report_get_or_create(plan=Plan.objects.get(reference="132-HD/BTGTU"), unit=district,
                                  user=User.objects.get(username="tam-duong.reviewer"))
    report_pk = report.pk
except Exception as error:
    print("no report:", error)
print("LOAD=" + json.dumps({"plan": plan.pk, "units": [u.code for u in units], "report": report_pk}))
' >"$OUT/prepare.log" 2>&1 || { cat "$OUT/prepare.log" >&2; exit 1; }
LOAD=$(sed -n 's/^LOAD=//p' "$OUT/prepare.log")
export LOAD_PLAN_PK LOAD_UNITS LOAD_REPORT_PK LOAD_OUT="$OUT" LOAD_SUBMIT_WINDOW="${LOAD_SUBMIT_WINDOW:-60,240}"
LOAD_PLAN_PK=$(echo "$LOAD" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["plan"])')
LOAD_UNITS=$(echo "$LOAD" | "$PYTHON" -c 'import json,sys; print(",".join(json.load(sys.stdin)["units"]))')
LOAD_REPORT_PK=$(echo "$LOAD" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["report"])')
rm -f "$OUT/acked.json" "$OUT"/locust_*.csv

echo "==> locust: $USERS users (spawn $SPAWN_RATE/s) for $DURATION against http://$HOST:$PORT/"
"$ROOT/.venv/bin/locust" -f bench/locustfile.py --headless --host "http://$HOST:$PORT" \
    --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$DURATION" --stop-timeout 30 \
    --csv "$OUT/locust" --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1 || true
tail -n 45 "$OUT/locust.log"

echo "==> checking for lost writes and submissions"
"$PYTHON" manage.py shell -c '
import json
from reports.plans.models import Plan
from reports.submissions.models import Submission, SubmissionValue

acked = json.load(open("'"$OUT"'/acked.json"))
plan = Plan.objects.get(reference="251-CV/BTGHU")
lost_values, lost_submits, checked_values = [], [], 0
for unit, record in acked.items():
    sub = Submission.objects.filter(plan=plan, unit__code=unit).first()
    if sub is None:
        if record["values"] or record["submitted"]:
            lost_values.append(f"{unit}: no submission")
        continue
    stored = {v.indicator.code: v for v in SubmissionValue.objects.filter(submission=sub).select_related("indicator")}
    for field, value in record["values"].items():
        code = field[2:].replace("-", ".", 1)
        checked_values += 1
        got = stored.get(code)
        got_value = None if got is None else (got.number if got.number is not None else got.text)
        if str(got_value) != str(value):
            lost_values.append(f"{unit} {code}: acknowledged {value}, stored {got_value}")
    if record["submitted"] and sub.status not in ("submitted", "accepted"):
        lost_submits.append(f"{unit}: acknowledged submit, status {sub.status}")
submitted = sum(1 for r in acked.values() if r["submitted"])
in_db = Submission.objects.filter(plan=plan, unit__code__in=list(acked), status__in=("submitted", "accepted")).count()
print(f"units: {len(acked)}, values checked: {checked_values}, lost values: {len(lost_values)}")
print(f"submits acknowledged: {submitted}, submitted/accepted rows in the database: {in_db}, lost: {len(lost_submits)}")
for line in (lost_values + lost_submits)[:20]:
    print("  LOST", line)
' 2>&1 | tee "$OUT/integrity.txt"

echo "==> per request kind (ms)"
"$PYTHON" - "$OUT/locust_stats.csv" <<'EOF' | tee "$OUT/summary.md"
import csv
import sys

rows = list(csv.DictReader(open(sys.argv[1])))
print("| request | count | errors | p50 | p95 | p99 | max | req/s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
    name = row["Name"] if row["Name"] != "Aggregated" else "**all**"
    print(f"| {name} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | {row['95%']} | "
          f"{row['99%']} | {float(row['Max Response Time']):.0f} | {float(row['Requests/s']):.1f} |")
EOF

# Server-side view (optional): SERVE_LOG=<file with the stack's stdout> adds the application's own
# duration_ms per path (from the JSON request log) for the requests made during the run.
if [ -n "${SERVE_LOG:-}" ] && [ -f "$SERVE_LOG" ]; then
    echo "==> server-side duration_ms per path during the run (from $SERVE_LOG)"
    "$PYTHON" - "$SERVE_LOG" "$(stat -c %Y "$OUT/prepare.log")" <<'EOF2' | tee "$OUT/server_times.md"
import datetime as dt
import json
import re
import sys
from collections import defaultdict

since = dt.datetime.fromtimestamp(float(sys.argv[2]), tz=dt.UTC).isoformat(timespec="milliseconds")
times = defaultdict(list)
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    if '"bars.request"' not in line:
        continue
    entry = json.loads(line)
    if entry["time"] < since:
        continue
    path = re.sub(r"/don-vi/[a-z0-9-]+/", "/don-vi/U/", re.sub(r"/\d+/", "/N/", entry["path"]))
    times[(entry["method"], path)].append(entry["duration_ms"])


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


print("| method | path | count | p50 ms | p95 ms | p99 ms |")
print("|---|---|---:|---:|---:|---:|")
for (method, path), values in sorted(times.items(), key=lambda kv: -len(kv[1])):
    print(f"| {method} | `{path}` | {len(values)} | {pct(values, .5):.0f} | {pct(values, .95):.0f} | {pct(values, .99):.0f} |")
EOF2
fi
