"""One keep-alive connection to a node's analyst API, for the benchmarks in this folder (bench-api.sh,
bench-api-live.sh): timed GETs that ask again when the server answers 503 during its warm-up."""
import http.client
import time
import urllib.parse


class AnalystClient:
    def __init__(self, base, token):
        url = urllib.parse.urlparse(base)
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=3600)
        self.headers = {"Authorization": "Bearer " + token}

    def get(self, path):
        """(milliseconds, status, body) of one GET, waiting out 503s (Retry-After) first; the time is the last
        attempt's, request to last byte."""
        while True:
            start = time.perf_counter()
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - start) * 1000
            if response.status != 503:
                return elapsed, response.status, body
            time.sleep(int(response.getheader("Retry-After", "5")))

    def get_ok(self, path):
        """(milliseconds, body) of a GET that must answer 200."""
        elapsed, status, body = self.get(path)
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status} {body[:200]!r}")
        return elapsed, body


def wait_for_warm_up(log, limit_seconds=3600):
    """Seconds until `analyst merge ready` appears in the server's log (or the limit passes)."""
    start = time.perf_counter()
    while "analyst merge ready" not in open(log).read() and time.perf_counter() - start < limit_seconds:
        time.sleep(1)
    return time.perf_counter() - start
