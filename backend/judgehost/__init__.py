"""The judgehost: claims jobs from the queue, grades them, reports per-test results.

One loop, two transports; each room of this package has one job:

    loop.py             `Judgehost`: claim, fetch the package, grade, heartbeat, finish
    package_cache.py    `PackageCache`: unpacked packages by content hash (atomic fill)
    live_results.py     `LiveResults`: a job's test results posted as they come, batched
    transport.py        `Transport`: what the loop needs from a server
    http_transport.py   `HttpTransport`: REST, for `gradebox judgehost --url ...`
    local_transport.py  `LocalTransport`: the queue service in-process
    embedded.py         `start_embedded`: the judgehost thread of `gradebox server run`
    capabilities.py     `advertised_capabilities`: `gpu` only where a GPU answers
    errors.py           `JudgehostError` and its subclasses

Callers import from here (`from backend.judgehost import Judgehost`), not the rooms.
"""

from backend.judgehost.capabilities import advertised_capabilities
from backend.judgehost.embedded import start_embedded
from backend.judgehost.errors import JudgehostError, JudgehostRefused, LeaseLost
from backend.judgehost.http_transport import HttpTransport
from backend.judgehost.local_transport import LocalTransport
from backend.judgehost.loop import Judgehost, default_name
from backend.judgehost.package_cache import PackageCache
from backend.judgehost.transport import Transport

__all__ = [
    "HttpTransport",
    "Judgehost",
    "JudgehostError",
    "JudgehostRefused",
    "LeaseLost",
    "LocalTransport",
    "PackageCache",
    "Transport",
    "advertised_capabilities",
    "default_name",
    "start_embedded",
]
