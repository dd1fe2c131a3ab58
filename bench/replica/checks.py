"""The checks of the replica rehearsal, against servers that bench/replica/rehearse.sh started.

Not meant to be run alone: rehearse.sh passes, in the environment, the two servers' addresses
(REHEARSAL_BASE: routed, with DATABASE_REPLICA_URL; REHEARSAL_BASE_PRIMARY_ONLY: the same
portal on the primary only), the two clusters' ports and data directories, and the staff user's
password (and authenticator key, when the project has two-factor sign-in).

Which database answered is measured from the databases' side: each cluster's pg_stat_statements,
read before and after each request, counts the statements of the servers' own role (coopnet
for the routed server, coopnet_primary_only for the other; this script connects as postgres).
Statements are sorted into reads, writes, the content version (which the portal reads from the
primary on purpose, casestudies/caching/version.py) and connection checks (SELECT 1).

Prints one line per check as it goes, then a summary table (PASS / FAIL / INFO, with figures)
and the latency table; exits 1 if a check failed.
"""

import datetime as dt
import hashlib
import hmac
import html
import os
import platform
import re
import statistics
import struct
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
ENV = os.environ
BASE = ENV["REHEARSAL_BASE"]
BASE_PRIMARY_ONLY = ENV["REHEARSAL_BASE_PRIMARY_ONLY"]
TMP = Path(ENV["REHEARSAL_TMP"])
PG_BIN = Path(ENV["PG_BIN"])
DATABASE = ENV["REHEARSAL_DATABASE"]
PRIMARY_DSN = f"host=127.0.0.1 port={ENV['REHEARSAL_PRIMARY_PORT']} user=postgres dbname={DATABASE}"
REPLICA_DSN = f"host=127.0.0.1 port={ENV['REHEARSAL_REPLICA_PORT']} user=postgres dbname={DATABASE}"
STAFF = ("rehearsal", ENV["REHEARSAL_STAFF_PASSWORD"])
TOTP_KEY = ENV.get("REHEARSAL_STAFF_TOTP_KEY", "")
ROUNDS = int(ENV.get("REHEARSAL_ROUNDS", "5"))
BURST = int(ENV.get("REHEARSAL_BURST", "3"))
CONNECTIONS = int(ENV.get("REHEARSAL_CONNECTIONS", "8"))
TIMEOUT = 10  # seconds per HTTP request
SOON = 2.0  # "within a couple of seconds"
UNCACHED_LUA = ROOT / "bench" / "load" / "uncached.lua"

RESULTS = []  # (number, check, PASS/FAIL/INFO, figures)
SECOND_FACTOR = "with password only"


def record(number, check, ok, figures):
    state = "INFO" if ok is None else ("PASS" if ok else "FAIL")
    RESULTS.append((number, check, state, figures))
    print(f"  [{state}] {number} {check}: {figures}", flush=True)


# -- The databases' side ---------------------------------------------------------------------


def query(dsn, sql, params=()):
    with psycopg.connect(dsn, autocommit=True, connect_timeout=3) as connection:
        return connection.execute(sql, params).fetchall()


def statements(dsn, role):
    """{queryid: (calls, text)} of `role` on one cluster, or None when it does not answer."""
    try:
        rows = query(
            dsn,
            "SELECT s.queryid, sum(s.calls)::bigint, min(s.query) FROM pg_stat_statements s "
            "JOIN pg_roles r ON r.oid = s.userid WHERE r.rolname = %s GROUP BY s.queryid",
            (role,),
        )
    except psycopg.OperationalError:
        return None
    return {queryid: (calls, text) for queryid, calls, text in rows}


# The statements of FacetIndex.build (casestudies/discovery/facets.py): the in-memory index of
# facet counts, built once per worker, database alias and content version.
FACET_INDEX = re.compile(
    r'^SELECT (MIN\("casestudies_casestudy"\."published_at"\) AS "next"'
    r'|"casestudies_casestudy"\."id" AS "pk", "casestudies_casestudy"\."kind" AS "kind"'
    r'|"casestudies_casestudy_principles"\."principle_id" AS "principle_id", '
    r'"casestudies_casestudy_principles"\."casestudy_id" AS "casestudy_id" FROM'
    r'|"casestudies_casestudyorganisation"\."organisation_id" AS "organisation_id", '
    r'"casestudies_casestudyorganisation"\."case_study_id" AS "case_study_id" FROM'
    r'|"casestudies_themedcasestudy"\."tag_id" AS "tag_id", '
    r'"casestudies_themedcasestudy"\."content_object_id" AS "content_object_id" FROM)'
)


def kind(text):
    words = text.lstrip().upper()
    if words.startswith(("INSERT", "UPDATE", "DELETE")):
        return "write"
    if "casestudies_contentversion" in text:
        return "version"
    if FACET_INDEX.match(text.strip()):
        return "index"
    if re.fullmatch(r"SELECT \$1", text.strip(), re.IGNORECASE):
        return "check"  # conn_health_checks
    if words.startswith("SELECT SET_CONFIG("):
        return "protocol"  # a new connection's time zone (Django)
    if words.startswith(("SET ", "SHOW ", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
        return "protocol"
    return "read"


class Counts:
    """Statements per cluster and kind between `before` and `after`."""

    def __init__(self, before, after):
        self.by_cluster = {}
        self.texts = {}
        for cluster in ("primary", "replica"):
            old, new = before[cluster], after[cluster]
            if old is None or new is None:
                self.by_cluster[cluster] = None
                continue
            counts = dict.fromkeys(("read", "index", "write", "version", "check", "protocol"), 0)
            texts = []
            for queryid, (calls, text) in new.items():
                delta = calls - old.get(queryid, (0, ""))[0]
                if delta > 0:
                    counts[kind(text)] += delta
                    texts.append((delta, kind(text), text))
            self.by_cluster[cluster] = counts
            self.texts[cluster] = sorted(texts, reverse=True)

    def total(self, cluster, *kinds):
        counts = self.by_cluster[cluster]
        if counts is None:
            return None
        return sum(counts[k] for k in (kinds or counts))

    def show(self, cluster):
        counts = self.by_cluster[cluster]
        if counts is None:
            return f"{cluster} unreachable"
        parts = [f"{n} {k}" for k, n in counts.items() if n]
        return f"{cluster}: " + (", ".join(parts) if parts else "0")


class Measured:
    """Counts each cluster's statements of one role around a block."""

    def __init__(self, role="coopnet"):
        self.role = role

    def __enter__(self):
        self.before = self.snapshot()
        return self

    def __exit__(self, *exc):
        self.counts = Counts(self.before, self.snapshot())

    def snapshot(self):
        return {
            "primary": statements(PRIMARY_DSN, self.role),
            "replica": statements(REPLICA_DSN, self.role),
        }


def wal_lsn_primary():
    return query(PRIMARY_DSN, "SELECT pg_current_wal_lsn()")[0][0]


def replica_catch_up(lsn, limit=10.0):
    """Seconds until the replica has replayed `lsn`, or None."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        replayed = query(REPLICA_DSN, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (lsn,))
        if replayed[0][0]:
            return time.perf_counter() - started
        time.sleep(0.002)
    return None


def pg_ctl(*args):
    command = [str(PG_BIN / "pg_ctl"), *args]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


# -- HTTP ------------------------------------------------------------------------------------

_counter = iter(range(1, 10**9))


def fresh(path):
    """The address with a parameter no view reads: served, never stored in the page cache."""
    return f"{path}{'&' if '?' in path else '?'}rehearsal={next(_counter)}"


def get(path, session=None, base=BASE, **kwargs):
    started = time.perf_counter()
    response = (session or requests).get(
        base + path, timeout=TIMEOUT, allow_redirects=False, **kwargs
    )
    response.elapsed_ms = (time.perf_counter() - started) * 1000
    return response


def post(path, data, session):
    started = time.perf_counter()
    response = session.post(BASE + path, data=data, timeout=TIMEOUT, allow_redirects=False)
    response.elapsed_ms = (time.perf_counter() - started) * 1000
    return response


class FormReader(HTMLParser):
    """The fields a browser would submit from the form with id `form_id`."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select = self.options = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self.select, self.options = (name, "multiple" in attrs), []
        elif tag == "option" and self.select:
            self.options.append([attrs.get("value"), "selected" in attrs, ""])
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.select and self.options and self.options[-1][0] is None:
            self.options[-1][2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            values = [v if v is not None else t.strip() for v, chosen, t in self.options if chosen]
            if not values and not multiple and self.options:
                first = self.options[0]
                values = [first[0] if first[0] is not None else first[2].strip()]
            self.fields += [(name, value) for value in values]
            self.select = self.options = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append((name, text[1:] if text.startswith("\n") else text))
            self.textarea = None


def form_fields(page, form_id):
    reader = FormReader(form_id)
    reader.feed(page)
    return reader.fields


def totp(key_hex, when=None):
    """RFC 6238 (django-otp's TOTPDevice defaults: SHA-1, 30 s, 6 digits)."""
    counter = int((when or time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6:06d}"


def sign_in():
    """A staff session through the admin's own sign-in form."""
    session = requests.Session()
    page = get("/admin/login/?next=/admin/", session)
    fields = dict(form_fields(page.text, "login-form"))
    fields.update(username=STAFF[0], password=STAFF[1])
    global SECOND_FACTOR
    if "code" in fields and TOTP_KEY:
        fields["code"] = totp(TOTP_KEY)
        SECOND_FACTOR = "with password and TOTP code"
    with Measured() as measured:
        response = post("/admin/login/?next=/admin/", fields, session)
    if response.status_code != 302:
        sys.exit(f"Sign-in failed: {response.status_code}\n{response.text[:2000]}")
    landing = get(response.headers["Location"], session)
    if landing.status_code != 200:
        sys.exit(f"After sign-in, {response.headers['Location']} answered {landing.status_code}")
    return session, measured.counts, response.elapsed_ms


def csrf_token(page):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return match.group(1)


def errors_of(page):
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)[:5]


# -- The content ----------------------------------------------------------------------------


def published_case_study(offset):
    return query(
        PRIMARY_DSN,
        "SELECT id, slug, title FROM casestudies_casestudy WHERE status = 'published' "
        "AND published_at <= now() ORDER BY id LIMIT 1 OFFSET %s",
        (offset,),
    )[0]


def edit_title(session, pk, title):
    """Change a case study's title through the admin's change form, as a browser would."""
    change = f"/admin/casestudies/casestudy/{pk}/change/"
    page = get(change, session)
    fields = [
        (n, title if n == "title" else v) for n, v in form_fields(page.text, "casestudy_form")
    ]
    if not fields:
        sys.exit(f"No change form at {change}: {page.status_code}")
    response = post(change, [*fields, ("_save", "Save")], session)
    if response.status_code != 302:
        sys.exit(f"The admin refused the edit: {response.status_code} {errors_of(response.text)}")
    return response


def staff_title(session, pk):
    page = get(f"/admin/casestudies/casestudy/{pk}/change/", session)
    return dict(form_fields(page.text, "casestudy_form")).get("title")


def move(session, pk, action):
    """The admin's bulk action (publish / unpublish) on one case study."""
    changelist = "/admin/casestudies/casestudy/"
    page = get(changelist, session)
    data = {
        "csrfmiddlewaretoken": csrf_token(page.text),
        "action": action,
        "_selected_action": str(pk),
        "index": "0",
        "select_across": "0",
    }
    response = post(changelist, data, session)
    if response.status_code != 302:
        sys.exit(f"The admin refused {action}: {response.status_code}")
    return response


def staff_status(session, pk):
    page = get(f"/admin/casestudies/casestudy/{pk}/change/", session)
    return dict(form_fields(page.text, "casestudy_form")).get("status")


def until(test, limit=SOON * 3, pause=0.05):
    """Seconds until test() is true (polling), or None after `limit`; and how many tries."""
    started, tries = time.perf_counter(), 0
    while True:
        tries += 1
        if test():
            return time.perf_counter() - started, tries
        if time.perf_counter() - started > limit:
            return None, tries
        time.sleep(pause)


def seconds(value):
    return "never" if value is None else f"{value:.2f} s"


# -- The checks ------------------------------------------------------------------------------

PUBLIC_PAGES = [
    "/",
    "/case-studies/",
    "/case-studies/?principle=learning&kind=case_study",
    "/case-studies/?q=energy+council",
    "/case-studies/{slug}/",
    "/case-studies/export.csv?principle=learning",
    "/principles/",
    "/principles/learning/",
    "/principles/coverage/",
    "/organisations/",
    "/api/v1/case-studies/",
    "/feeds/case-studies.atom",
    "/sitemap.xml",
]


def check_public_reads(slug):
    print("\n1. Public pages read the replica", flush=True)
    totals = dict.fromkeys(("replica", "primary_reads", "primary_index", "primary_other"), 0)
    for template in PUBLIC_PAGES:
        path = template.format(slug=slug)
        with Measured() as measured:
            response = get(fresh(path))
        c = measured.counts
        replica = c.total("replica", "read", "index")
        primary_reads = c.total("primary", "read", "write")
        totals["replica"] += replica
        totals["primary_reads"] += primary_reads
        totals["primary_index"] += c.total("primary", "index")
        totals["primary_other"] += c.total("primary", "version", "check", "protocol")
        ok = response.status_code == 200 and replica > 0 and primary_reads == 0
        record(
            "1",
            f"GET {path}",
            ok,
            f"{response.status_code}, {response.elapsed_ms:.0f} ms; "
            f"{c.show('replica')}; {c.show('primary')}",
        )
        for calls, what, text in c.texts["primary"]:
            if what in {"read", "write"}:
                print(f"      primary {what} x{calls}: {text[:200]}")
    record(
        "1",
        "public pages: the page's own queries",
        totals["primary_reads"] == 0 and totals["replica"] > 0,
        f"{totals['replica']} statements on the replica; {totals['primary_reads']} reads or "
        f"writes on the primary besides the facet index (below) and "
        f"{totals['primary_other']} content version reads and connection set-up or checks (by "
        f"design)",
    )
    record(
        "1",
        "public pages: the facet index",
        totals["primary_index"] == 0,
        f"{totals['primary_index']} statements of FacetIndex.build on the primary during these "
        f"first requests: facets.current(using='default') is called without an alias for the "
        f"counts of /, /principles/, /organisations/, the API and for the page cache's next "
        f"publication, so each worker builds that index from the primary after every content "
        f"change (and a second one from the replica for the list's filters)",
    )


def check_staff_on_primary(session, sign_in_counts, sign_in_ms, pk):
    print("\n2. Staff pages and writes use the primary", flush=True)
    c = sign_in_counts
    record(
        "2",
        "POST /admin/login/ (sign-in)",
        c.total("replica") == 0 and c.total("primary", "write") > 0,
        f"302 {SECOND_FACTOR}, {sign_in_ms:.0f} ms; {c.show('primary')}; {c.show('replica')}",
    )
    for path in [
        "/admin/",
        "/admin/casestudies/casestudy/",
        "/admin/casestudies/casestudy/?status__exact=published",
        f"/admin/casestudies/casestudy/{pk}/change/",
        f"/admin/casestudies/casestudy/{pk}/history/",
        "/admin/casestudies/statuschange/",
    ]:
        with Measured() as measured:
            response = get(path, session)
        c = measured.counts
        record(
            "2",
            f"staff GET {path}",
            response.status_code == 200 and c.total("replica") == 0 and c.total("primary") > 0,
            f"{response.status_code}, {response.elapsed_ms:.0f} ms; {c.show('primary')}; "
            f"{c.show('replica')}",
        )


def check_own_change(session, pk, slug, title):
    print("\n3. A staff member sees their own change at once", flush=True)
    public = f"/case-studies/{slug}/"
    get(public)
    warmed = get(public)
    record(
        "3",
        "public page cached before the change",
        warmed.headers.get("X-Page-Cache") == "hit",
        f"X-Page-Cache: {warmed.headers.get('X-Page-Cache')}",
    )
    new_title = f"{title} (edited {dt.datetime.now():%H:%M:%S})"
    with Measured() as measured:
        response = edit_title(session, pk, new_title)
        changed_at = time.perf_counter()
        lsn = wal_lsn_primary()
    caught_up = replica_catch_up(lsn)
    c = measured.counts
    record(
        "2",
        "staff POST change form (edit the title)",
        c.total("replica") == 0 and c.total("primary", "write") > 0,
        f"{response.status_code}, {response.elapsed_ms:.0f} ms; {c.show('primary')}; "
        f"{c.show('replica')}",
    )
    seen = staff_title(session, pk)
    record(
        "3",
        "edit: staff change page shows the new title at once",
        seen == new_title,
        f"first read after the save: {'new' if seen == new_title else 'OLD'} title; replica "
        f"replayed the change {seconds(caught_up)} after the save returned",
    )
    first = time.perf_counter() - changed_at
    anonymous, tries = until(lambda: html.escape(new_title) in get(public).text)
    since = time.perf_counter() - changed_at
    staff_public = html.escape(new_title) in get(public, session).text
    record(
        "3",
        "edit: the public page shows it within 2 s",
        anonymous is not None and since <= SOON + 0.5,
        f"anonymous: new title {since:.2f} s after the save, on request {tries} (the first "
        f"{first:.2f} s after; each worker reads the content version at most every "
        f"CONTENT_VERSION_SECONDS=1); staff on the public page (not cached, read from the "
        f"replica) right after: {'new' if staff_public else 'OLD'} title",
    )

    for action, expect in (("unpublish", 404), ("publish", 200)):
        get(public)
        with Measured() as measured:
            move(session, pk, action)
        c = measured.counts
        done = time.perf_counter()
        status = staff_status(session, pk)
        wanted = "draft" if action == "unpublish" else "published"
        took, tries = until(lambda expect=expect: get(public).status_code == expect)
        record(
            "3",
            f"{action}: staff see it at once, the public page within 2 s",
            status == wanted and took is not None and time.perf_counter() - done <= SOON + 1,
            f"staff change page right after: {status}; public {expect} after "
            f"{seconds(None if took is None else time.perf_counter() - done)} (request {tries}); "
            f"{c.show('primary')}; {c.show('replica')}",
        )
    return new_title


def check_lag(session, pk, slug, title):
    """Replication lag, made on purpose: replay paused on the replica."""
    print("\n5. Replication lag (replay paused on the replica)", flush=True)
    public = f"/case-studies/{slug}/"
    query(REPLICA_DSN, "SELECT pg_wal_replay_pause()")
    until(lambda: query(REPLICA_DSN, "SELECT pg_get_wal_replay_pause_state()")[0][0] == "paused")
    lagging = f"{title} [lag]"
    try:
        edit_title(session, pk, lagging)
        seen = staff_title(session, pk)
        record(
            "5",
            "lag: staff change page shows the new title at once",
            seen == lagging,
            f"first read after the save: {'new' if seen == lagging else 'OLD'} title (primary)",
        )
        time.sleep(1.2)  # past CONTENT_VERSION_SECONDS: every process knows the new version
        anonymous = get(public)
        staff_public = get(public, session)
        stale = html.escape(lagging) not in anonymous.text
        record(
            "5",
            "lag: public page while the replica lags",
            None,
            f"anonymous: {'OLD title (stale)' if stale else 'new title'}, X-Page-Cache: "
            f"{anonymous.headers.get('X-Page-Cache')}; staff on the public page: "
            f"{'OLD' if html.escape(lagging) not in staff_public.text else 'new'} title",
        )
    finally:
        query(REPLICA_DSN, "SELECT pg_wal_replay_resume()")
    caught_up = replica_catch_up(wal_lsn_primary())
    time.sleep(1.2)
    after = get(public)
    fresh_now = html.escape(lagging) in after.text
    record(
        "5",
        "lag: public page after the replica caught up",
        None,
        f"replica caught up in {seconds(caught_up)}; 1.2 s later anonymous gets the "
        f"{'new' if fresh_now else 'OLD (stale)'} title, X-Page-Cache: "
        f"{after.headers.get('X-Page-Cache')}"
        + (
            ""
            if fresh_now
            else " (kept under the new content version until the next change "
            "or PAGE_CACHE_SECONDS, as docs/deploy.md warns)"
        ),
    )
    # The next change replaces the content version, and with it the stale page.
    edit_title(session, pk, title)
    took, _ = until(lambda: "[lag]" not in get(public).text)
    record(
        "5",
        "lag: the next change clears the stale page",
        took is not None and took <= SOON + 0.5,
        f"public page right again {seconds(took)} after the next save",
    )


def check_replica_down(session, pk, slug):
    print("\n4. The replica stopped", flush=True)
    public = f"/case-studies/{slug}/"
    for path in ("/", public):  # in the page cache before the replica stops
        get(path)
    pg_ctl("-D", str(TMP / "replica"), "stop", "-m", "fast", "-w")
    stopped = time.perf_counter()
    try:
        health = get("/healthz")
        record(
            "4",
            "replica down: /healthz",
            health.status_code == 200,
            f"{health.status_code}, {health.elapsed_ms:.0f} ms",
        )
        ready = get("/readyz")
        record(
            "4",
            "replica down: /readyz answers 503",
            ready.status_code == 503,
            f"{ready.status_code}, {ready.elapsed_ms:.0f} ms, body {ready.text.strip()} (one "
            f"verdict for both databases: it does not say which one is down)",
        )
        for path in ("/", public):
            response = get(path)
            record(
                "4",
                f"replica down: cached page {path}",
                response.status_code == 200,
                f"{response.status_code}, X-Page-Cache: {response.headers.get('X-Page-Cache')}, "
                f"{response.elapsed_ms:.0f} ms",
            )
        statuses = {}
        for template in [*PUBLIC_PAGES, "/accessibility/"]:
            path = template.format(slug=slug)
            response = get(fresh(path))
            statuses[path] = response
        served = [p for p, r in statuses.items() if r.status_code == 200]
        failed = {p: r for p, r in statuses.items() if r.status_code != 200}
        friendly = all(
            "unavailable for a moment" in r.text and r.headers.get("Retry-After")
            for r in failed.values()
        )
        record(
            "4",
            "replica down: uncached public pages are served",
            not failed,
            f"{len(served)} of {len(statuses)} answered 200 ({', '.join(served) or 'none'}); "
            + (
                f"the others {sorted({r.status_code for r in failed.values()})}"
                f"{' (the friendly 503 page, Retry-After 30)' if friendly else ''}, "
                f"{statistics.median(r.elapsed_ms for r in failed.values()):.0f} ms median"
                if failed
                else "none failed"
            ),
        )
        staff_page = get("/admin/casestudies/casestudy/", session)
        record(
            "4",
            "replica down: staff pages (primary only)",
            staff_page.status_code == 200,
            f"{staff_page.status_code}, {staff_page.elapsed_ms:.0f} ms",
        )
        move(session, pk, "unpublish")
        status = staff_status(session, pk)
        record(
            "4",
            "replica down: staff can write (unpublish)",
            status == "draft",
            f"staff change page right after: {status}",
        )
        staff_public = get(fresh("/principles/"), session)
        record(
            "4",
            "replica down: a signed-in staff member on a public page",
            None,
            f"{staff_public.status_code} (the session and user are read from the replica there)",
        )
    finally:
        pg_ctl("-D", str(TMP / "replica"), "-l", str(TMP / "replica.log"), "start", "-w")
    restarted = time.perf_counter()
    outage = restarted - stopped
    took, tries = until(lambda: get(fresh("/case-studies/")).status_code == 200, limit=30)
    ready_took, _ = until(lambda: get("/readyz").status_code == 200, limit=30)
    gone, _ = until(lambda: get(public).status_code == 404, limit=10)
    record(
        "4",
        "replica back: the site recovers by itself",
        took is not None and ready_took is not None and gone is not None,
        f"outage {outage:.1f} s; after the restart: uncached public pages 200 in {seconds(took)} "
        f"(request {tries}), /readyz 200 in {seconds(ready_took)}, no gunicorn restart; "
        f"the unpublish made during the outage shows publicly in {seconds(gone)}",
    )
    move(session, pk, "publish")


# -- Latency: routed vs primary only, side by side ----------------------------------------------

LOAD_PAGES = [
    ("home (cached)", "cached", "/"),
    ("list (uncached)", "plain", "/case-studies/?principle=learning&kind=case_study"),
    ("search (uncached)", "search", "/case-studies/?principle=learning&kind=case_study"),
    ("case study (uncached)", "plain", "/case-studies/{slug}/"),
    ("API list (uncached)", "plain", "/api/v1/case-studies/"),
]
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def to_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNIT[unit]


def wrk(base, path, mode, duration):
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if mode == "cached":
        command.append(base + path)
    else:
        command += ["-s", str(UNCACHED_LUA), base, "--", path, "search" if mode == "search" else ""]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration + 30
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    return {
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": to_ms(re.search(r"^\s*50%\s+(\S+)", output, re.M).group(1)),
        "p99": to_ms(re.search(r"^\s*99%\s+(\S+)", output, re.M).group(1)),
        "bad": (int(non_2xx.group(1)) if non_2xx else 0)
        + (sum(map(int, errors.groups())) if errors else 0),
    }


def cpu_reference():
    started = time.perf_counter()
    total = 0
    for n in range(3_000_000):
        total += n
    return (time.perf_counter() - started) * 1000


def latency(slug):
    if ROUNDS <= 0 or subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        print("\nLatency: skipped (REHEARSAL_ROUNDS=0 or no wrk)")
        return []
    print(
        f"\nLatency: routed vs primary-only, {ROUNDS} rounds of {BURST} s bursts per side and "
        f"page, alternating, {CONNECTIONS} connections",
        flush=True,
    )
    sides = {
        "routed": (BASE, "coopnet"),
        "primary-only": (BASE_PRIMARY_ONLY, "coopnet_primary_only"),
    }
    rows, cpu = [], []
    for name, mode, template in LOAD_PAGES:
        path = template.format(slug=slug)
        runs = {side: [] for side in sides}
        statements_per_request = {
            side: {"primary": 0, "replica": 0, "requests": 0} for side in sides
        }
        for base, _ in sides.values():
            wrk(base, path, mode, 2)  # warm-up: each worker's facet index, cards, page cache
        for round_number in range(ROUNDS):
            cpu.append(cpu_reference())
            order = list(sides) if round_number % 2 == 0 else list(reversed(sides))
            for side in order:
                base, role = sides[side]
                with Measured(role) as measured:
                    result = wrk(base, path, mode, BURST)
                runs[side].append(result)
                totals = statements_per_request[side]
                totals["requests"] += result["requests"]
                for cluster in ("primary", "replica"):
                    totals[cluster] += measured.counts.total(cluster, "read", "index", "write")
        row = {"page": name}
        for side in sides:
            results = runs[side]
            seconds_total = sum(r["requests"] / r["rps"] for r in results if r["rps"])
            per = statements_per_request[side]
            row[side] = {
                "rps": sum(r["requests"] for r in results) / seconds_total if seconds_total else 0,
                "p50": statistics.median(r["p50"] for r in results),
                "p99": statistics.median(r["p99"] for r in results),
                "bad": sum(r["bad"] for r in results),
                "primary_q": per["primary"] / max(per["requests"], 1),
                "replica_q": per["replica"] / max(per["requests"], 1),
            }
        ratios = [
            a["rps"] / b["rps"]
            for a, b in zip(runs["routed"], runs["primary-only"], strict=True)
            if b["rps"]
        ]
        row["ratio"] = statistics.median(ratios) if ratios else 0
        row["range"] = (min(ratios), max(ratios)) if ratios else (0, 0)
        rows.append(row)
        r, p = row["routed"], row["primary-only"]
        print(
            f"  {name}: routed {r['rps']:.0f}/s p50 {r['p50']:.1f} ms p99 {r['p99']:.1f} ms; "
            f"primary-only {p['rps']:.0f}/s p50 {p['p50']:.1f} ms p99 {p['p99']:.1f} ms; "
            f"ratio {row['ratio']:.2f} ({row['range'][0]:.2f}-{row['range'][1]:.2f})",
            flush=True,
        )
    return rows, cpu


# -- Main -----------------------------------------------------------------------------------


def wait_ready(base):
    for _ in range(300):
        try:
            if requests.get(base + "/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    sys.exit(f"{base} did not become ready")


def main():
    started = time.perf_counter()
    for base in (BASE, BASE_PRIMARY_ONLY):
        wait_ready(base)
    version = query(PRIMARY_DSN, "SHOW server_version")[0][0]
    replica_state = query(PRIMARY_DSN, "SELECT state, sync_state FROM pg_stat_replication")
    count = query(PRIMARY_DSN, "SELECT count(*) FROM casestudies_casestudy")[0][0]
    pk, slug, title = published_case_study(7)
    _, load_slug, _ = published_case_study(41)
    print(
        f"PostgreSQL {version}; replication {replica_state}; {count} case studies; "
        f"{ENV.get('REHEARSAL_WORKERS', '?')} gunicorn workers per server; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )

    migrated = (TMP / "migrate-with-replica.result").read_text().strip()
    record(
        "0",
        "manage.py migrate on a new database, DATABASE_REPLICA_URL set",
        migrated == "ok",
        "migrated"
        if migrated == "ok"
        else " / ".join(line.strip() for line in migrated.splitlines())
        + " (then migrated with DATABASE_URL alone)",
    )
    check_public_reads(slug)
    session, sign_in_counts, sign_in_ms = sign_in()
    check_staff_on_primary(session, sign_in_counts, sign_in_ms, pk)
    with Measured() as measured:
        response = get(fresh("/principles/"), session)
    c = measured.counts
    record(
        "2",
        "signed-in staff on a public page",
        None,
        f"{response.status_code}; {c.show('replica')}; {c.show('primary')} (only the admin "
        f"prefix and writes are pinned to the primary)",
    )
    edited = check_own_change(session, pk, slug, title)
    check_lag(session, pk, slug, edited)
    check_replica_down(session, pk, slug)
    load = latency(load_slug)
    rows, cpu = load if load else ([], [])

    print("\n" + "=" * 100)
    print(
        f"Summary: {dt.datetime.now():%Y-%m-%d %H:%M}, PostgreSQL {version}, {count} case "
        f"studies, {platform.node()} ({os.cpu_count()} CPUs, shared: compare ratios within a run), "
        f"{time.perf_counter() - started:.0f} s"
    )
    print("\n| # | check | result | figures |\n| --- | --- | --- | --- |")
    for number, check, state, figures in sorted(RESULTS, key=lambda r: r[0]):
        print(f"| {number} | {check} | {state} | {figures} |")
    if rows:
        print(
            f"\nLatency: {ROUNDS} rounds x {BURST} s per side, alternating, {CONNECTIONS} "
            f"connections, wrk; queries per request from pg_stat_statements (reads and "
            f"writes; not the content version reads nor connection checks); CPU reference "
            f"(3M-step Python loop) "
            f"{min(cpu):.0f}-{max(cpu):.0f} ms over the rounds\n"
        )
        print(
            "| page | routed req/s | p50 | p99 | primary-only req/s | p50 | p99 | routed / "
            "primary-only: median of rounds (range) | queries per request, routed: primary + "
            "replica | primary-only: primary + replica | errors |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
        for row in rows:
            r, p = row["routed"], row["primary-only"]
            print(
                f"| {row['page']} | {r['rps']:.0f} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | "
                f"{p['rps']:.0f} | {p['p50']:.1f} ms | {p['p99']:.1f} ms | {row['ratio']:.2f} "
                f"({row['range'][0]:.2f}-{row['range'][1]:.2f}) | "
                f"{r['primary_q']:.2f} + {r['replica_q']:.2f} | {p['primary_q']:.2f} + "
                f"{p['replica_q']:.2f} | {r['bad'] + p['bad']} |"
            )
    failed = [r for r in RESULTS if r[2] == "FAIL"]
    print(
        f"\n{sum(r[2] == 'PASS' for r in RESULTS)} PASS, {len(failed)} FAIL, "
        f"{sum(r[2] == 'INFO' for r in RESULTS)} INFO"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
