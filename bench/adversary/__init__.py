"""Adversary benchmark: hostile inputs made here, each run against newsdesk in a child process under
a memory cap and a time cap, and what came of each, per class.

    .venv/bin/python -m bench.adversary [--quick] [--json FILE] [--classes a,b] [--markdown FILE]
        [--mem-mb 2048] [--timeout 60] [--fuzz 40] [--seed 1] [--keep DIR] [-v]

**Caps.** Every input runs in its own child process with its address space capped at 2 GiB
(``RLIMIT_AS``) and its wall time capped at 60 s (the child is killed at the deadline). Both are what
a laptop user would still call bounded for one bad file: 2 GiB is a quarter to an eighth of a
laptop's memory and more than ten times what a normal ingest takes (130-170 MB); a minute is long
for one input but short enough that a whole campaign fits in about ten minutes (``--quick``: one to
two). A search, though, is a query a person waits for: one that answers but takes more than 10 s
fails too (``SEARCH_BUDGET_S``). ``RLIMIT_AS`` counts address space, not resident memory, so the
child runs with ``MALLOC_ARENA_MAX=2`` and ``OPENBLAS_NUM_THREADS=1`` (otherwise each thread would
reserve 64 MB of malloc arena and the cap would measure reservations rather than use). Core dumps
are off.

**How it runs.** A runner process imports newsdesk once and warms it up (extraction's lazy models),
then forks one child per input; the child sets its caps, sends its stdout and stderr to files and
calls newsdesk's real CLI entry point (``newsdesk.cli.main``) in process, or the web app through
its in-process ASGI client. A CLI start-up would cost 1.3 s an input; a fork costs milliseconds, so
the whole campaign fits in the time budget. The runner measures each child's wall time, CPU time
and peak RSS (``os.wait4``: the child's own ``ru_maxrss``; it includes the ~130 MB of warmed-up
imports every child inherits, which a real ``newsdesk ingest`` has too). This process only
writes inputs, talks to the runner and judges: it never imports newsdesk, so nothing newsdesk does
can stop it; a runner that stops answering is killed and started again.

**Verdicts.** An input is *clean* when newsdesk handled it: ingest exits 0 without a traceback,
every good record beside the hostile one is stored, and the hostile one is stored, rejected with a
reason or reported broken with a reason; ``add`` succeeds, or exits non-zero with an error message
and no traceback (the API answers 2xx or 4xx); extraction exits 0 or 1 (rejected, saying why); a
search finds the article within its budget. Anything else is a *crash*: a traceback on stderr (even
when the command went on), another exit code, a good record missing, a hostile record dropped
without a reason, a secret (a URL's password, a local file's content) echoed or stored, the memory
cap (MemoryError or a killed process) or the time cap.

Classes: jsonl-values, dates, surrogates-and-names, xml-entities, big-article-search,
big-page-extraction, bad-urls, fuzz-bytes (seeded). See ``CLASSES`` and each ``_gen_*`` function.
The two size classes report curves (seconds per size, and the growth exponent between sizes); a
size is not run once a smaller one hit the time cap (it is counted as skipped). No input reaches
the network: URLs are numeric, loopback (a server this script starts on 127.0.0.1), or
``*.adversary.test`` pointed at 127.0.0.1 and refused by the address guard.
Only the standard library here; the runner uses newsdesk (and FastAPI's test client for the web).
"""

# One module per part: ``cases`` (records, constants, judges), ``inputs`` (content the inputs are
# made of, the case maker), ``generate`` (the classes), ``fuzz`` (the fuzz-bytes class), ``runner``
# (the capped children, the runner process, the loopback server, running the cases), ``report``
# (summaries and tables) and ``__main__`` (the command line).

from bench.adversary.cases import (
    CANARY,
    CLASSES,
    FUZZ_PER_FORMAT,
    MEM_MB,
    QUERY_WORD,
    SEARCH_BUDGET_S,
    SECRET,
    TIMEOUT_S,
    UNCAUGHT,
    Case,
    Result,
    Run,
    Verdict,
    judge_add,
    judge_api_add,
    judge_extract,
    judge_ingest,
    judge_search,
    judge_selftest,
)
from bench.adversary.fuzz import fuzz_bases, mutate
from bench.adversary.generate import generate
from bench.adversary.inputs import _good_record, _Maker
from bench.adversary.report import (
    ClassSummary,
    class_table,
    crash_table,
    curve_table,
    curves,
    report_markdown,
    summarise,
)
from bench.adversary.runner import JOBS, Runner, Server, run_cases, runner_main, serve_main

__all__ = [
    "CANARY",
    "CLASSES",
    "FUZZ_PER_FORMAT",
    "JOBS",
    "MEM_MB",
    "QUERY_WORD",
    "SEARCH_BUDGET_S",
    "SECRET",
    "TIMEOUT_S",
    "UNCAUGHT",
    "Case",
    "ClassSummary",
    "Result",
    "Run",
    "Runner",
    "Server",
    "Verdict",
    "_Maker",
    "_good_record",
    "class_table",
    "crash_table",
    "curve_table",
    "curves",
    "fuzz_bases",
    "generate",
    "judge_add",
    "judge_api_add",
    "judge_extract",
    "judge_ingest",
    "judge_search",
    "judge_selftest",
    "mutate",
    "report_markdown",
    "run_cases",
    "runner_main",
    "serve_main",
    "summarise",
]
