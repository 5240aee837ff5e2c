"""The checker's own HTTP/1.1 (``check/h1.py``) against servers that frame answers the
many ways real ones do: a head in one-byte pieces, bodies ended by closing, interim
1xx answers, bare-LF lines, kept connections the server dropped, Upgrade, userinfo."""

from __future__ import annotations

import asyncio
import base64
import socket
import time

from check_servers import RequestHandler, Site, fast_options, html
from hypothesis import given, settings
from hypothesis import strategies as st

from footcheck.check.h1 import H1Transport, _Connection
from footcheck.check.interface import StaticResolver, build_transport
from footcheck.model import LinkStatus


def _raw(payload: bytes, *, pieces: int = 0, pause: float = 0.0, close: bool = True):  # type: ignore[no-untyped-def]
    """A route that writes ``payload`` as it is (its own status line and head), in
    ``pieces``-byte writes ``pause`` apart if asked, then closes the connection."""

    def handler(h: RequestHandler) -> None:
        h.close_connection = close
        h.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if not pieces:
            h.wfile.write(payload)
            return
        for start in range(0, len(payload), pieces):
            h.wfile.write(payload[start:start + pieces])
            h.wfile.flush()
            if pause:
                time.sleep(pause)

    return handler


def _page(title: str) -> bytes:
    return html(title).encode()


def test_a_head_sent_a_byte_at_a_time_is_read(site: Site, check) -> None:
    body = _page("По байту")
    head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Long: " + b"v" * 3000
            + b"\r\nContent-Length: %d\r\n\r\n" % len(body))
    url = site.route("/bytes", _raw(head + body, pieces=1, pause=0.0002))
    result = check([url])[url]
    assert result.status is LinkStatus.OK, result
    assert result.title == "По байту"


def test_a_body_ended_by_closing_the_connection_is_read(site: Site, check) -> None:
    body = _page("До закрытия")
    url = site.route("/close", _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                    b"Connection: close\r\n\r\n" + body))
    result = check([url])[url]
    assert result.status is LinkStatus.OK, result
    assert result.title == "До закрытия"


def test_an_http_1_0_answer_without_length_is_read(site: Site, check) -> None:
    url = site.route("/old", _raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + _page("Old server")))
    result = check([url])[url]
    assert result.status is LinkStatus.OK, result
    assert result.title == "Old server"


def test_interim_answers_before_the_real_one_are_skipped(site: Site, check) -> None:
    body = _page("After hints")
    url = site.route("/hints", _raw(
        b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body) + body))
    result = check([url])[url]
    assert result.status is LinkStatus.OK, result
    assert result.http_status == 200
    assert result.title == "After hints"


def test_a_head_with_bare_line_feeds_is_read(site: Site, check) -> None:
    body = _page("Bare LF")
    url = site.route("/lf", _raw(b"HTTP/1.1 404 Not Found\nContent-Type: text/html\nContent-Length: %d\n\n"
                                 % len(body) + body, close=False))
    result = check([url], timeout=3)[url]
    assert result.status is LinkStatus.BROKEN, result
    assert result.http_status == 404


def test_a_chunked_body_in_small_pieces_is_read(site: Site, check) -> None:
    body = _page("Кусочками")
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 7]), body[i:i + 7]) for i in range(0, len(body), 7))
    url = site.route("/chunks", _raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                                     b"Transfer-Encoding: chunked\r\n\r\n" + chunked + b"0\r\n\r\n",
                                     pieces=5, close=False))
    result = check([url])[url]
    assert result.status is LinkStatus.OK, result
    assert result.title == "Кусочками"


def test_a_kept_connection_the_server_dropped_is_replaced_once(site: Site, check) -> None:
    """The first answer allows keep-alive, then the server closes the connection: the
    next request on it gets no byte back, and is sent once more on a new connection
    (not counted as a try, not refused), so each URL is asked exactly once."""
    body = _page("Keep")
    answer = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body) + body

    def then_close(h: RequestHandler) -> None:
        h.wfile.write(answer)
        h.wfile.flush()
        h.close_connection = True  # after the answer, silently: no Connection: close header

    urls = [site.route(f"/k{i}", then_close) for i in range(3)]
    results = check(urls, concurrency=1, per_host=1, retries=0)
    assert all(r.status is LinkStatus.OK for r in results.values()), results
    assert [site.requests(f"/k{i}") for i in range(3)] == [1, 1, 1]


def test_an_upgrade_on_a_plain_get_is_a_protocol_error(site: Site, check) -> None:
    url = site.route("/upgrade", _raw(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                                      b"Connection: Upgrade\r\n\r\n\x81\x05hello", close=False))
    result = check([url], retries=0, timeout=3)[url]
    assert result.status is LinkStatus.UNREACHABLE, result
    assert result.detail.startswith("the server broke the HTTP protocol")


def test_garbage_instead_of_a_status_line_is_a_short_protocol_detail(site: Site, check) -> None:
    url = site.route("/garbage", _raw(b"SSH-2.0-OpenSSH_9.6\r\n" + b"\x00\xff" * 5000))
    result = check([url], retries=0)[url]
    assert result.status is LinkStatus.UNREACHABLE, result
    assert result.detail.startswith("the server broke the HTTP protocol")
    assert len(result.detail) < 300


def test_a_head_that_never_ends_is_refused_past_the_limit(site: Site, check) -> None:
    url = site.route("/endless-head", _raw(b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 200_000, close=False))
    result = check([url], retries=0, timeout=5)[url]
    assert result.status is LinkStatus.UNREACHABLE, result
    assert "header fields" in result.detail or "head is over" in result.detail


def test_userinfo_in_the_url_is_sent_as_basic_credentials(site: Site, check) -> None:
    site.page("/private", html("Members"))
    url = site.url("/private").replace("http://", "http://reader:s%40cret@")
    result = check([url])[url]
    assert result.status is LinkStatus.OK, result
    sent = site.stats.headers["/private"]["authorization"]
    assert base64.b64decode(sent.removeprefix("Basic ")) == b"reader:s@cret"


def test_one_connection_serves_a_host_s_urls_in_turn(site: Site) -> None:
    """Keep-alive: three requests in turn to one host open one connection."""
    for i in range(3):
        site.page(f"/p{i}", html(f"Page {i}"))
    transport = build_transport(fast_options(), StaticResolver())
    assert isinstance(transport, H1Transport)

    async def run() -> list[int]:
        statuses = []
        try:
            for i in range(3):
                response = await transport.send(site.url(f"/p{i}"))
                while await response.read_chunk():
                    pass
                statuses.append(response.status)
                await response.aclose()
        finally:
            await transport.aclose()
        return statuses

    assert asyncio.run(run()) == [200, 200, 200]
    assert transport.connections_opened == 1
    assert site.stats.max_connections == 1


def test_bytes_after_the_whole_answer_do_not_spoil_it(site: Site, check) -> None:
    """A server that writes a second, unasked answer (or junk) right after the body: the
    first answer is the one read, and the connection is not used again."""
    body = _page("Первый ответ")
    first = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body)
    junk = b"HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nbad"
    urls = [site.route("/twice", _raw(first + body + junk, close=False)),
            site.route("/junk", _raw(first + body + b"\x00garbage", close=False))]
    results = check(urls, concurrency=1, per_host=1)
    for url in urls:
        assert results[url].status is LinkStatus.OK, results[url]
        assert results[url].title == "Первый ответ"
    assert site.stats.max_connections >= 1


# --- the parser's framing, fed in arbitrary pieces (no sockets) ---------------------

class _FakeSocket(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False

    def write(self, data: bytes) -> None:  # type: ignore[override]
        self.written += data

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12).map(lambda n: "x-" + n)
_values = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40).map(str.strip)


@settings(max_examples=150, deadline=None)
@given(
    status=st.sampled_from([200, 204, 301, 404, 500]),
    fields=st.lists(st.tuples(_names, _values), max_size=6),
    body=st.binary(max_size=600),
    chunked=st.booleans(),
    bare_lf=st.booleans(),
    cuts=st.lists(st.integers(min_value=1, max_value=4000), max_size=25),
)
def test_any_split_of_an_answer_parses_the_same(status, fields, body, chunked, bare_lf, cuts) -> None:
    if status == 204:  # no body, no framing (a chunked 204's "0" would be bytes after the answer)
        body, chunked = b"", False
    eol = b"\n" if bare_lf else b"\r\n"
    head = [b"HTTP/1.1 %d Status" % status, *(f"{n}: {v}".encode() for n, v in fields)]
    if chunked:
        head.append(b"Transfer-Encoding: chunked")
        framed = b"".join(b"%x\r\n%s\r\n" % (len(body[i:i + 50]), body[i:i + 50])
                          for i in range(0, len(body), 50)) + b"0\r\n\r\n"
    else:
        head.append(b"Content-Length: %d" % len(body))
        framed = body
    wire = eol.join(head) + eol + eol + framed
    points = sorted({c % len(wire) for c in cuts} - {0})

    async def run() -> tuple[int, dict[str, str], bytes, bool]:
        connection = _Connection(("http", "h.test", 80))
        connection.connection_made(_FakeSocket())
        connection.start(b"GET / HTTP/1.1\r\n\r\n")
        for start, end in zip([0, *points], [*points, len(wire)], strict=True):
            connection.data_received(wire[start:end])
        got = b""
        while chunk := await connection.read_chunk():
            got += chunk
        return connection.status, dict(connection.headers.items()), got, connection.reusable

    got_status, got_headers, got_body, reusable = asyncio.run(run())
    assert got_status == status
    assert got_body == body
    for name, value in fields:
        assert value in got_headers[name]
    assert reusable


@settings(max_examples=300, deadline=None)
@given(
    prefix=st.sampled_from([b"", b"HTTP/1.1 200 OK\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
                            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", b"HTTP/1.0 301 X\n"]),
    noise=st.binary(max_size=300),
    cuts=st.lists(st.integers(min_value=1, max_value=400), max_size=10),
)
def test_whatever_a_server_sends_ends_in_an_answer_or_a_transport_error(prefix, noise, cuts) -> None:
    """Garbage after any start, then the server closes (a server that stalls instead
    meets the per-URL deadline): the connection never raises into the event loop, and the
    reader gets a whole answer or a TransportError (which the checker turns into a verdict)."""
    from footcheck.check.transport import TransportError

    wire = prefix + noise
    points = sorted({c % len(wire) for c in cuts} - {0}) if wire else []

    async def run() -> str:
        connection = _Connection(("http", "h.test", 80))
        connection.connection_made(_FakeSocket())
        head = connection.start(b"GET / HTTP/1.1\r\n\r\n")
        for start, end in zip([0, *points], [*points, len(wire)], strict=True):
            connection.data_received(wire[start:end])
        connection.connection_lost(None)
        try:
            await asyncio.wait_for(head, 5)
            while await connection.read_chunk():
                pass
        except TransportError:
            return "error"
        return "answer"

    assert asyncio.run(run()) in ("answer", "error")
