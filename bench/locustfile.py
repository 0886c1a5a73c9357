"""Deadline-day load on the production stack (`make serve`): run it with bench/load_test.sh.

Who does what (weights give the mix of 50 users):

* EntryOfficer (40): a commune/agency officer of Tam Đường, one unit each (users `load-<unit code>` made by
  load_test.sh): opens their requests, starts the submission of the open plan 251-CV/BTGHU, saves sections
  again and again (the form is read, figures changed, posted back like a browser does), looks at the
  submission and its history, and submits it once, at a random moment of the run.
* Reviewer (6): `tam-duong.reviewer`: the status board, the roll-up JSON, the dashboard, opens submissions
  and accepts the ones sent in.
* Leader (4): `tam-duong.leader`: the consolidated report page and its PDF, the plan's PDF.

Every acknowledged write is recorded (bench/out/acked.json: the last figures each unit saved and whether
it was submitted) so that load_test.sh can check afterwards that no write and no submission was lost.
Only loopback hosts are accepted.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo12345!")
PLAN_PK = os.environ.get("LOAD_PLAN_PK", "")  # 251-CV/BTGHU
TOP_PLAN = os.environ.get("LOAD_TOP_PLAN", "168-HD/BTGTU")
REPORT_PK = os.environ.get("LOAD_REPORT_PK", "")
UNITS = [code for code in os.environ.get("LOAD_UNITS", "").split(",") if code]
OUT = Path(os.environ.get("LOAD_OUT", Path(__file__).parent / "out"))
NUMERIC_SECTIONS = ["conference", "people", "propaganda"]
# Officers submit at a random moment in this window (seconds after they start).
SUBMIT_WINDOW = tuple(float(x) for x in os.environ.get("LOAD_SUBMIT_WINDOW", "60,240").split(","))

_unit_counter = itertools.count()
_lock = threading.Lock()
# unit code -> {"submission": pk, "values": {field: value}, "submitted": bool}
ACKED: dict[str, dict] = {}
REFUSED = [0]  # saves the form refused (checks), counted apart


@events.test_start.add_listener
def _check_host(environment, **_kwargs):
    host = urlparse(environment.host or "").hostname
    if host not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit(f"load tests run against loopback only, not {environment.host!r}")
    if not (PLAN_PK and UNITS):
        raise SystemExit("LOAD_PLAN_PK and LOAD_UNITS are set by bench/load_test.sh")


@events.test_stop.add_listener
def _write_acked(environment, **_kwargs):
    OUT.mkdir(parents=True, exist_ok=True)
    with _lock:
        (OUT / "acked.json").write_text(json.dumps(ACKED, ensure_ascii=False, indent=1))
        (OUT / "refused.txt").write_text(f"{REFUSED[0]}\n")


class Form:
    def __init__(self, action: str):
        self.action = action
        self.fields: list[tuple[str, str]] = []


class FormParser(HTMLParser):
    """The forms of a page with the values a browser would post (checked boxes, selected options, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(a.get("action") or "")
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and "__prefix__" not in name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._form.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name and "__prefix__" not in name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select and self._form is not None:
            self._form.fields.append((self._select, self._select_value or self._first_option or ""))
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def forms_of(html: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def form_posting_to(html: str, path_end: str, current: str = "") -> Form | None:
    """The form that posts to a URL ending in `path_end` (a form without action posts to `current`)."""
    for form in forms_of(html):
        if (form.action or current).endswith(path_end) and (form.action or current):
            return form
    return None


def plausible_figures(data: dict[str, str]) -> dict[str, str]:
    """New figures for the section's number fields that pass the form's checks (studied ≤ required …)."""
    changed = {}
    for name in data:
        if not name.startswith("v-") or name.startswith("v-") and "rows" in name:
            continue
        if not (data[name] or name.endswith(("-count", "-studied", "-required"))):
            continue
        if name.endswith("-count"):
            changed[name] = str(random.randint(1, 9))
        elif name.endswith("-studied"):
            studied = random.randint(20, 300)
            changed[name] = str(studied)
            required = name[: -len("-studied")] + "-required"
            if required in data:
                changed[required] = str(studied + random.randint(0, 40))
        elif name.endswith("-required"):
            continue
        elif data[name].isdigit():
            changed[name] = str(random.randint(20, 400))
    return changed


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 4)
    username = ""

    def login(self):
        page = self.client.get("/dang-nhap/", name="login page")
        form = form_posting_to(page.text, "/dang-nhap/")
        data = dict(form.fields) if form else {}
        data.update(username=self.username, password=PASSWORD)
        with self.client.post("/dang-nhap/", data=data, name="login (POST)", catch_response=True,
                              headers={"Referer": self.host + "/dang-nhap/"}) as response:
            if urlparse(response.url).path == "/dang-nhap/":
                response.failure(f"login failed for {self.username}")


class EntryOfficer(Staff):
    weight = 40

    def on_start(self):
        self.unit = UNITS[next(_unit_counter) % len(UNITS)]
        self.username = f"load-{self.unit}"
        self.started = time.monotonic()
        self.submit_after = random.uniform(*SUBMIT_WINDOW)  # seconds into the run: the officer's own deadline
        self.submitted = False
        self.saves = 0
        self.login()
        self.client.get("/ke-hoach/viec-cua-toi/", name="page: my requests")
        start = f"/bao-cao-don-vi/ke-hoach/{PLAN_PK}/don-vi/{self.unit}/"
        page = self.client.get(start, name="page: start submission")
        form = form_posting_to(page.text, start, current=urlparse(page.url).path)
        if form is not None:  # not started yet: the start page asks to confirm
            page = self.client.post(start, data=dict(form.fields), name="start submission (POST)",
                                    headers={"Referer": self.host + start})
        match = re.search(r"/bao-cao-don-vi/(\d+)/", urlparse(page.url).path)
        self.submission = match.group(1) if match else None
        with _lock:
            ACKED.setdefault(self.unit, {"submission": self.submission, "values": {}, "submitted": False})

    @task(8)
    def save_section(self):
        if not self.submission:
            return
        section = random.choice(NUMERIC_SECTIONS)
        url = f"/bao-cao-don-vi/{self.submission}/muc/{section}/"
        page = self.client.get(url, name="page: section")
        if self.submitted:
            return
        form = form_posting_to(page.text, url, current=urlparse(page.url).path)
        if form is None:
            return
        data = dict(form.fields)
        changed = plausible_figures(data)
        data.update(changed, save="1")
        self._post_section(url, data, changed, "save section (POST)")

    def _post_section(self, url: str, data: dict, changed: dict, name: str, confirming: bool = False):
        with self.client.post(url, data=data, name=name, catch_response=True,
                              allow_redirects=False, headers={"Referer": self.host + url}) as response:
            if response.status_code == 302:
                self.saves += 1
                with _lock:
                    ACKED[self.unit]["values"].update(changed)
            elif response.status_code == 200 and not confirming and 'name="confirm"' in response.text:
                # Figures far from earlier periods: the officer ticks "Tôi xác nhận số liệu đúng" and saves again.
                response.success()
                form = form_posting_to(response.text, url, current=url)
                if form is not None:
                    again = dict(form.fields)
                    again.update(changed, confirm="on", save="1")
                    self._post_section(url, again, changed, "save section, warnings confirmed (POST)", True)
            elif response.status_code == 200:
                # The form came back with a warning or an error: nothing was saved, which is not a failure
                # of the server, but must not be counted as a saved value either.
                response.success()
                with _lock:
                    REFUSED[0] += 1
            else:
                response.failure(f"save answered {response.status_code}")

    @task(3)
    def open_submission(self):
        if self.submission:
            self.client.get(f"/bao-cao-don-vi/{self.submission}/", name="page: submission")

    @task(2)
    def my_requests(self):
        self.client.get("/ke-hoach/viec-cua-toi/", name="page: my requests")

    @task(1)
    def home(self):
        self.client.get("/", name="page: home")

    @task(1)
    def history(self):
        if self.submission:
            self.client.get(f"/bao-cao-don-vi/{self.submission}/lich-su/", name="page: history")

    @task(2)
    def submit(self):
        if self.submitted or not self.submission or self.saves < 2:
            return
        if time.monotonic() - self.started < self.submit_after:
            return
        detail = f"/bao-cao-don-vi/{self.submission}/"
        page = self.client.get(detail, name="page: submission")
        form = form_posting_to(page.text, f"{detail}gui/")
        if form is None:
            return
        with self.client.post(f"{detail}gui/", data=dict(form.fields), name="submit (POST)", catch_response=True,
                              allow_redirects=False, headers={"Referer": self.host + detail}) as response:
            if response.status_code == 302:
                self.submitted = True
                with _lock:
                    ACKED[self.unit]["submitted"] = True
            else:
                response.failure(f"submit answered {response.status_code}")


class Reviewer(Staff):
    weight = 6
    username = "tam-duong.reviewer"

    def on_start(self):
        self.login()

    @task(4)
    def status_board(self):
        page = self.client.get(f"/ke-hoach/{PLAN_PK}/tinh-hinh/", name="page: status board")
        self.submissions = sorted(set(re.findall(r'href="/bao-cao-don-vi/(\d+)/"', page.text)))

    @task(3)
    def rollup_json(self):
        self.client.get("/bao-cao/so-lieu.json", params={"plan": TOP_PLAN, "unit": "tam-duong",
                                                         "include_submitted": "1"}, name="roll-up JSON")

    @task(2)
    def dashboard(self):
        self.client.get(f"/bao-cao/bang-dieu-khien/{PLAN_PK}/", name="page: dashboard")

    @task(3)
    def review_one(self):
        candidates = getattr(self, "submissions", None)
        if not candidates:
            return
        detail = f"/bao-cao-don-vi/{random.choice(candidates)}/"
        page = self.client.get(detail, name="page: submission (reviewer)")
        form = form_posting_to(page.text, f"{detail}tiep-nhan/")
        if form is not None and random.random() < 0.5:
            with self.client.post(f"{detail}tiep-nhan/", data=dict(form.fields), name="accept (POST)",
                                  catch_response=True, allow_redirects=False,
                                  headers={"Referer": self.host + detail}) as response:
                if response.status_code != 302:
                    response.failure(f"accept answered {response.status_code}")


class Leader(Staff):
    weight = 4
    username = "tam-duong.leader"

    def on_start(self):
        self.login()

    @task(3)
    def report_page(self):
        if REPORT_PK:
            self.client.get(f"/bao-cao/{REPORT_PK}/", name="page: report")

    @task(3)
    def report_pdf(self):
        if REPORT_PK:
            with self.client.get(f"/bao-cao/{REPORT_PK}/tai-pdf/", name="PDF: report", catch_response=True) as r:
                if r.status_code == 200 and not r.content.startswith(b"%PDF"):
                    r.failure("not a PDF")

    @task(1)
    def plan_pdf(self):
        with self.client.get(f"/bao-cao/ke-hoach/{PLAN_PK}/pdf/", name="PDF: plan", catch_response=True) as r:
            if r.status_code == 200 and not r.content.startswith(b"%PDF"):
                r.failure("not a PDF")

    @task(2)
    def plans(self):
        self.client.get("/ke-hoach/", name="page: plans")
