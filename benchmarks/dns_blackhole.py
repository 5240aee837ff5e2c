"""A DNS server that never answers, on 127.0.0.1:53 (for ``benchmarks/network.md``).

Run inside a network namespace only (``unshare -n -m``): it swallows every query over UDP
and accepts TCP connections without a word, for at most 120 s.
"""

from __future__ import annotations

import contextlib
import socket
import time

udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 53))
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
tcp.bind(("127.0.0.1", 53))
tcp.listen(50)
udp.settimeout(1)
end = time.time() + 120
while time.time() < end:
    with contextlib.suppress(TimeoutError):
        udp.recvfrom(4096)  # swallowed: no answer, ever
