"""A client for Gauntlet's venue, protocol v1 (docs/venue-protocol.md). Python 3.9+, stdlib only.

Two connections, newline-delimited JSON over TCP, both reconnecting forever (the venue exists only
while a Gauntlet run lasts, and Toxiproxy may cut either path at any moment):

    feed = MarketData("127.0.0.1:7402")          # ticks: feed.last, feed.age_ms()
    desk = OrderEntry("127.0.0.1:7401", on_fill=..., on_reject=..., on_cancelled=...)
    await asyncio.gather(feed.run(), desk.run())
    desk.send_order("O1", "buy", 0.08, decision_id="42", market_data_age_ms=feed.age_ms())

OrderEntry keeps the protocol's promises for you: it greets with the last fill it applied and the
orders in doubt; it drops a link whose acks stop coming (a black hole); on the venue's answer it
resends an in-doubt order the venue never got while it is fresh, and otherwise cancels it with a
reason, so every order is accounted for; it applies each fill sequence number once.
"""

import asyncio
import json
import time

VERSION = 1


def now_ms():
    return time.time() * 1000


def split_address(address):
    host, _, port = address.rpartition(":")
    return host, int(port)


async def _connect_forever(address, on_connect, on_line, on_disconnect, retry_s=0.1):
    """Connect, hand every line over, reconnect after any close or error. Never returns."""
    host, port = split_address(address)
    while True:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError:
            await asyncio.sleep(retry_s)
            continue
        on_connect(writer)
        try:
            while True:
                line = await reader.readline()
                if not line:
                    break
                if line.strip():
                    on_line(json.loads(line))
        except (OSError, ValueError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            on_disconnect()
        await asyncio.sleep(retry_s)


class MarketData:
    """The top of the book from the venue; its age is measured from the venue's sentAt."""

    def __init__(self, address, on_tick=None):
        self.address = address
        self.last, self.seq = None, 0
        self.connected = False
        self.on_tick = on_tick

    def mid(self):
        return (self.last["bid"] + self.last["ask"]) / 2 if self.last else None

    def age_ms(self):
        return now_ms() - self.last["sentAt"] if self.last else float("inf")

    def _line(self, message):
        if message.get("type") != "tick" or message["seq"] <= self.seq:
            return  # not a tick, or one seen already (seqs count per connection)
        self.seq = message["seq"]
        if message["bid"] > message["ask"]:
            return  # a crossed book is not a price: keep the last good one, let it age
        self.last = message
        if self.on_tick:
            self.on_tick(message)

    def _connected(self, _writer):
        self.connected, self.seq = True, 0

    def _disconnected(self):
        self.connected = False

    async def run(self):
        await _connect_forever(self.address, self._connected, self._line, self._disconnected)


class OrderEntry:
    """Orders to the venue and what comes back: acks, fills, rejects, cancels."""

    def __init__(self, address, on_fill, on_reject, on_cancelled, ack_timeout_ms=1000, resend_within_ms=5000):
        self.address = address
        self.on_fill, self.on_reject, self.on_cancelled = on_fill, on_reject, on_cancelled
        self.ack_timeout_ms, self.resend_within_ms = ack_timeout_ms, resend_within_ms
        self.writer = None
        self.greeted = False
        self.last_fill_seq, self.applied_above = 0, set()
        self.in_flight = {}  # clientOrderId -> (order message, written at ms)

    @property
    def connected(self):
        return self.writer is not None and self.greeted

    def reset(self):
        """A new run: the venue was reset too, so no order is pending and no fill has been seen."""
        self.in_flight.clear()
        self.last_fill_seq, self.applied_above = 0, set()

    def _write(self, message):
        if self.writer is not None:
            self.writer.write((json.dumps(message, separators=(",", ":")) + "\n").encode())

    def send_order(self, client_order_id, side, qty, decision_id=None, market_data_age_ms=-1, created_at=None):
        """Returns False when the link is down: the caller decides (hold, or keep it to cancel later)."""
        if not self.connected:
            return False
        order = {"type": "order", "clientOrderId": client_order_id, "side": side, "qty": qty,
                 "createdAt": created_at or now_ms(), "sentAt": now_ms(),
                 "marketDataAgeMs": -1 if market_data_age_ms == float("inf") else round(market_data_age_ms)}
        if decision_id is not None:
            order["decisionId"] = decision_id
        self.in_flight[client_order_id] = (order, now_ms())
        self._write(order)
        return True

    def cancel(self, client_order_id, reason):
        self._write({"type": "cancel", "clientOrderId": client_order_id, "reason": reason})

    def _connected(self, writer):
        self.writer, self.greeted = writer, False
        self._hello_at = now_ms()
        self._write({"type": "hello", "version": VERSION, "lastFillSeq": self.last_fill_seq, "inDoubt": list(self.in_flight)})

    def _disconnected(self):
        self.writer, self.greeted = None, False

    def _line(self, message):
        kind = message.get("type")
        if kind == "hello":
            known = set(message.get("known", []))
            for oid, (order, _written) in list(self.in_flight.items()):
                if oid in known:
                    continue  # the venue has it: its fill is replayed or on its way
                del self.in_flight[oid]
                if now_ms() - order["createdAt"] <= self.resend_within_ms:
                    self.in_flight[oid] = (order, now_ms())
                    self._write(order)
                else:
                    reason = "expired-in-outage: %d s old when the link came back" % ((now_ms() - order["createdAt"]) / 1000)
                    self.cancel(oid, reason)
                    self.on_cancelled(oid, reason)
            self.greeted = True
        elif kind == "ack":
            self.in_flight.pop(message["clientOrderId"], None)
        elif kind == "fill":
            self.in_flight.pop(message["clientOrderId"], None)
            seq = message["seq"]  # a replay after a reconnect repeats seqs; fills may come out of order
            if seq > self.last_fill_seq and seq not in self.applied_above:
                self.applied_above.add(seq)
                while self.last_fill_seq + 1 in self.applied_above:  # the hello says: all up to here
                    self.last_fill_seq += 1
                    self.applied_above.discard(self.last_fill_seq)
                self.on_fill(message)
        elif kind == "reject":
            self.in_flight.pop(message["clientOrderId"], None)
            self.on_reject(message["clientOrderId"], message["reason"])
        elif kind == "cancelled":
            self.in_flight.pop(message["clientOrderId"], None)
            self.on_cancelled(message["clientOrderId"], message["reason"])

    async def _watchdog(self):
        """A quiet link is a dead link: no ack (or no answer to hello) in time means drop and reconnect."""
        while True:
            await asyncio.sleep(0.1)
            if self.writer is None:
                continue
            oldest = min([written for _o, written in self.in_flight.values()] + ([self._hello_at] if not self.greeted else []), default=None)
            if oldest is not None and now_ms() - oldest > self.ack_timeout_ms:
                self.writer.close()
                self._disconnected()

    async def run(self):
        await asyncio.gather(self._watchdog(), _connect_forever(self.address, self._connected, self._line, self._disconnected))
