"""CPU time per item of ``dispatch_throughput.py`` or ``mailbox_ingest.py``, beside their own output.

On the shared 2-core machine rates move with the other work; the CPU this process spends per item
moves much less, so it is what a before/after comparison reads. The script runs the benchmark file
it is given unchanged (from this checkout or another one, with that checkout's venv), timing the
measured phase: ``_run`` of dispatch_throughput (per inquiry), ``run_mailbox`` of mailbox_ingest
(per mail). It counts this process and its threads (aiosqlite's), not PostgreSQL's or Dovecot's.

    .venv/bin/python benchmarks/cpu_per_item.py benchmarks/dispatch_throughput.py --n 2000
    .venv/bin/python benchmarks/cpu_per_item.py benchmarks/mailbox_ingest.py --n 2000 --backend both
"""

from __future__ import annotations

import importlib.util
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

#: The function of each benchmark that holds its measured phase.
MEASURED = {"dispatch_throughput.py": "_run", "mailbox_ingest.py": "run_mailbox"}


def timed(original: Callable[..., Awaitable[Any]], items: int) -> Callable[..., Awaitable[Any]]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        result = await original(*args, **kwargs)
        print(f"CPU per item {(time.process_time() - started) * 1000 / items:.3f} ms", flush=True)
        return result

    return wrapper


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1].rsplit("/", 1)[-1] not in MEASURED:
        raise SystemExit(__doc__)
    path = sys.argv[1]
    sys.argv = [path, *sys.argv[2:]]  # the benchmark parses its own arguments
    items = int(sys.argv[sys.argv.index("--n") + 1]) if "--n" in sys.argv else 2000
    if path.endswith("dispatch_throughput.py") and "--n" not in sys.argv:
        items = 600  # its own default
    spec = importlib.util.spec_from_file_location("benchmark_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    name = MEASURED[path.rsplit("/", 1)[-1]]
    setattr(module, name, timed(getattr(module, name), items))
    module.main()


if __name__ == "__main__":
    main()
