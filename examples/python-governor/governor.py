"""An example risk governor behind Gauntlet's target contract, in Python (stdlib only).

It is written the way another team would: its own HTTP server, its own books, the venue reached
through the Python client of the venue protocol (clients/python/gauntlet_venue.py). Gauntlet
launches it with `--target-cmd "python3 examples/python-governor/governor.py"` and hands it the
addresses in its environment; run by hand, it takes the same variables (defaults: port 9000,
venue 127.0.0.1:7401 / 7402). It offers the minimum contract only: no Redis, no SQL ledger.

    GAUNTLET_GOVERNOR_PORT  GAUNTLET_BROKER_ADDRESS  GAUNTLET_MARKET_DATA_ADDRESS
    GOVERNOR_BUG=in-flight  the buggy variant: exposure forgets orders in flight (a realistic bug)
"""

import asyncio
import collections
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "clients", "python"))
from gauntlet_venue import MarketData, OrderEntry, now_ms  # noqa: E402

LIMITS = {"capitalUsd": 1000, "maxIntradayLossUsd": 100, "maxPositionNotionalUsd": 500, "maxDailyTurnoverUsd": 2000,
          "maxSingleTradeUsd": 50, "drawdownCautionPct": 5, "drawdownReducePct": 8, "drawdownForceFlatPct": 10}
ACTION_USD = [-50, -25, 0, 25, 50]
STALE_MS, DOUBLE_FAULT_MS, FLATTEN_AFTER_MS, CRASH_PCT, CRASH_WINDOW_MS = 500, 120, 5000, 3, 30000
BUG_IN_FLIGHT = os.environ.get("GOVERNOR_BUG") == "in-flight"


class Governor:
    def __init__(self, broker, market_data):
        self.feed = MarketData(market_data, on_tick=self.on_tick)
        self.desk = OrderEntry(broker, self.on_fill, self.on_closed, self.on_closed)
        self.reset(LIMITS)

    def reset(self, limits):
        self.limits = dict(limits)
        self.position = self.fees = self.turnover = 0.0
        self.cash = self.peak = self.limits["capitalUsd"]
        self.open = {}  # clientOrderId -> signed qty still in flight
        self.counters = {"decisions": 0, "orders": 0, "fills": 0}
        self.manual_pause = self.auto_pause = self.risk_off = self.flatten_pending = False
        self.highs, self.stale_since, self.seq = collections.deque(), None, 0
        self.desk.reset()

    # -- the market and the books ------------------------------------------------------------
    def on_tick(self, tick):
        mid = (tick["bid"] + tick["ask"]) / 2
        # The window's high, as a decreasing deque: O(1) a tick however long the market falls
        # (rebuilding a list of every lower high each tick slowed decisions as a fall went on).
        while self.highs and self.highs[-1][1] <= mid:
            self.highs.pop()
        self.highs.append((tick["sentAt"], mid))
        while self.highs[0][0] <= tick["sentAt"] - CRASH_WINDOW_MS:
            self.highs.popleft()
        if (self.highs[0][1] - mid) / self.highs[0][1] * 100 >= CRASH_PCT:
            self.risk_off = True  # a crash: flatten and take no new risk until the next reset
        self.peak = max(self.peak, self.equity())

    def equity(self):
        return self.cash + self.position * (self.feed.mid() or 0)

    def on_fill(self, fill):
        sign = 1 if fill["side"] == "buy" else -1
        self.position += sign * fill["qty"]
        self.cash -= sign * fill["qty"] * fill["price"] + fill["fee"]
        self.fees += fill["fee"]
        self.counters["fills"] += 1
        self.open.pop(fill["clientOrderId"], None)  # one fill ends a market order; any rest is cancelled
        self.peak = max(self.peak, self.equity())

    def on_closed(self, client_order_id, _reason):
        self.open.pop(client_order_id, None)

    def exposure(self):
        return self.position + (0 if BUG_IN_FLIGHT else sum(self.open.values()))

    def place(self, shares, decision_id=None):
        self.seq += 1
        oid = "P%d" % self.seq
        price = self.feed.mid()
        if not self.desk.send_order(oid, "buy" if shares > 0 else "sell", abs(shares), decision_id, self.feed.age_ms()):
            return None
        self.open[oid] = shares
        self.turnover += abs(shares) * price
        self.counters["orders"] += 1
        return oid

    # -- the risk filter ---------------------------------------------------------------------
    def decide(self, request):
        self.counters["decisions"] += 1
        lim, mid, tick = self.limits, self.feed.mid(), self.feed.last
        if self.manual_pause or self.auto_pause:
            return ("paused", 0, "critical-pause")
        if mid is None or self.feed.age_ms() > STALE_MS:
            return ("blocked", 0, "stale-market-data")
        if not self.desk.connected:
            return ("blocked", 0, "broker-disconnected")  # hold: queue nothing behind a dead link
        price = tick["ask"] * 1.001  # conservative: a buy sized to a cap still fits it at the touch
        exposure_usd = self.exposure() * price
        loss, equity = lim["capitalUsd"] - self.equity(), self.equity()
        drawdown = max(0.0, (self.peak - equity) / self.peak * 100)
        if loss >= lim["maxIntradayLossUsd"] or drawdown >= lim["drawdownForceFlatPct"] or self.risk_off:
            return self.flatten_slice("risk-off", price)
        if self.flatten_pending:  # stale data told us to get flat: decisions help, never add
            return self.flatten_slice("flatten-after-stale-data", price)
        want = ACTION_USD[request["action"]]
        grows = abs(exposure_usd + want) > abs(exposure_usd)
        if grows and drawdown >= lim["drawdownReducePct"]:
            return ("blocked", 0, "drawdown-reduce-only")
        if grows and drawdown >= lim["drawdownCautionPct"]:
            want /= 2
        want = max(-lim["maxSingleTradeUsd"], min(lim["maxSingleTradeUsd"], want))
        if grows:
            room = max(0.0, lim["maxPositionNotionalUsd"] - abs(exposure_usd))
            want = max(-room, min(room, want))
            budget = lim["maxDailyTurnoverUsd"] - self.turnover
            if abs(want) + abs(exposure_usd + want) > budget:  # keep the budget to close what it opens
                want = (1 if want > 0 else -1) * max(0.0, (budget - abs(exposure_usd)) / 2)
        elif abs(want) > lim["maxDailyTurnoverUsd"] - self.turnover:
            want = 0
        if abs(want) < 1:
            return ("blocked", 0, "hold" if ACTION_USD[request["action"]] == 0 else "limits")
        return ("approved" if want == ACTION_USD[request["action"]] else "reduced", want / price, "within-limits")

    def flatten_slice(self, reason, price):
        exposure = self.exposure()
        if abs(exposure) < 1e-9:
            return ("blocked", 0, reason)
        slice_usd = min(abs(exposure) * price, self.limits["maxSingleTradeUsd"], max(0.0, self.limits["maxDailyTurnoverUsd"] - self.turnover))
        shares = -exposure if slice_usd >= abs(exposure) * price else -(1 if exposure > 0 else -1) * slice_usd / price
        return ("reduced", shares, reason) if slice_usd > 0 else ("blocked", 0, reason)

    async def safety(self):
        """Ten times a second: pause on a double fault, flatten on data stale for too long or a crash."""
        while True:
            await asyncio.sleep(0.1)
            stale = self.feed.age_ms() > DOUBLE_FAULT_MS
            self.stale_since = (self.stale_since or now_ms()) if stale else None
            if self.stale_since and now_ms() - self.stale_since > FLATTEN_AFTER_MS:
                self.flatten_pending = True
            self.auto_pause = not self.desk.connected and stale or (self.auto_pause and stale)
            if (self.flatten_pending or self.risk_off) and self.desk.connected and not stale and not self.manual_pause and not self.open:
                verdict, shares, _ = self.flatten_slice("flatten", self.feed.last["ask"])
                if shares:
                    self.place(shares)
                elif self.flatten_pending:
                    self.flatten_pending = False

    # -- the target contract over HTTP -------------------------------------------------------
    def route(self, method, path, body):
        if method == "POST" and path == "/v1/decisions":
            request = json.loads(body)
            verdict, shares, reason = self.decide(request)
            oid = self.place(shares, request["id"]) if shares else None
            if shares and not oid:  # the link dropped between the check and the send: hold
                verdict, shares, reason = "blocked", 0, "broker-disconnected"
            answer = {"id": request["id"], "verdict": verdict, "increment": shares, "reason": reason,
                      "marketDataAgeMs": min(self.feed.age_ms(), 1e9), "brokerConnected": self.desk.connected}
            headers = {"X-Decision-Id": request["id"]}
            if oid:
                answer["orderId"] = headers["X-Order-Id"] = oid
            return 200, answer, headers
        if method == "GET" and path == "/v1/health":
            return 200, {"mode": "shadow", "paused": self.manual_pause or self.auto_pause, "brokerConnected": self.desk.connected,
                         "marketDataAgeMs": None if self.feed.last is None else self.feed.age_ms()}, {}
        if method == "GET" and path == "/v1/state":
            return 200, {"capitalUsd": self.limits["capitalUsd"], "positionShares": self.position, "cashUsd": self.cash, "mid": self.feed.mid(),
                         "openOrders": len(self.open), "counters": self.counters, "limits": self.limits}, {}
        if method == "POST" and path == "/v1/admin/reset":
            self.reset({**LIMITS, **json.loads(body or "{}").get("limits", {})})
            return 200, {"reset": True}, {}
        if method == "POST" and path == "/v1/admin/pause":
            self.manual_pause = json.loads(body or "{}").get("paused", True)
            return 200, {"paused": self.manual_pause}, {}
        return 404, {"error": "no route %s %s" % (method, path)}, {}


async def serve_http(governor, reader, writer):
    """A minimal HTTP/1.1 server with keep-alive: enough for k6 and Gauntlet, nothing more."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            try:
                status, answer, extra = governor.route(method, path, body.decode() if body else "")
            except (ValueError, KeyError, TypeError, IndexError) as error:
                status, answer, extra = 400, {"error": "bad request: %s" % error}, {}
            payload = json.dumps(answer, separators=(",", ":")).encode()
            extra_lines = "".join("%s: %s\r\n" % item for item in extra.items())
            writer.write(("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n%s\r\n"
                          % (status, "OK" if status == 200 else "Error", len(payload), extra_lines)).encode() + payload)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main():
    env = os.environ.get
    governor = Governor(env("GAUNTLET_BROKER_ADDRESS", "127.0.0.1:7401"), env("GAUNTLET_MARKET_DATA_ADDRESS", "127.0.0.1:7402"))
    server = await asyncio.start_server(lambda r, w: serve_http(governor, r, w), "127.0.0.1", int(env("GAUNTLET_GOVERNOR_PORT", "9000")))
    print("python governor on :%s (shadow mode%s)" % (env("GAUNTLET_GOVERNOR_PORT", "9000"), ", bug: in-flight" if BUG_IN_FLIGHT else ""), flush=True)
    await asyncio.gather(server.serve_forever(), governor.feed.run(), governor.desk.run(), governor.safety())


if __name__ == "__main__":
    asyncio.run(main())
