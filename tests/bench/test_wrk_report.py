"""Reading wrk's report: the figures in the results table come from here."""

from __future__ import annotations

import pytest

from bench.wrk import WrkResult, median_result, parse_wrk

REPORT = """Running 15s test @ http://127.0.0.1:8000/business/story/
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    31.02ms   12.50ms   1.02s    91.00%
    Req/Sec   520.11     80.00   700.00     70.00%
  Latency Distribution
     50%  850.00us
     75%   40.00ms
     90%   60.00ms
     99%    1.20s
  15600 requests in 15.00s, 240.00MB read
  Socket errors: connect 0, read 12, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:   1040.25
Transfer/sec:     16.00MB
bench: responses=15600
bench: non_200=9
bench: set_cookie=15600
"""


def test_report_gives_rate_percentiles_in_ms_and_failures() -> None:
    result = parse_wrk(REPORT)

    assert result.rps == pytest.approx(1040.25)
    assert result.p50_ms == pytest.approx(0.85)  # 850 microseconds
    assert result.p99_ms == pytest.approx(1200.0)  # 1.2 seconds
    assert result.requests == 15600
    assert result.non_2xx_3xx == 7
    # Read errors are kept-alive sockets closed by the server; timeouts are real failures.
    assert result.socket_errors == 3
    assert result.notes == {"responses": "15600", "non_200": "9", "set_cookie": "15600"}


def test_a_report_without_a_rate_is_an_error_not_zero() -> None:
    with pytest.raises(ValueError, match="Requests/sec"):
        parse_wrk("unable to connect to 127.0.0.1:9 Connection refused\n")


def test_median_run_keeps_its_own_latencies() -> None:
    runs = [WrkResult(rps=900, p50_ms=9, p99_ms=90), WrkResult(rps=1000, p50_ms=10, p99_ms=100),
            WrkResult(rps=300, p50_ms=30, p99_ms=300)]  # fmt: skip

    median = median_result(runs)

    assert (median.rps, median.p50_ms, median.p99_ms) == (900, 9, 90)
