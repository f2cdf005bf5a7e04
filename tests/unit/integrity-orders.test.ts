// orders_accounted (CRITICAL): every order the governor answered with is at the venue or cancelled
// there with a reason, every order the venue received ended, none is open once the governor has
// settled — and a governor that never settles fails it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { DecisionIdSet } from "../../core/index.ts";
import { integrityGates, unaccountedOrders, type IntegrityInput } from "../../plugins/integrity/reconcile.ts";
import type { VenueView } from "../../plugins/shared/venue-journal.ts";

const THRESHOLDS = { maxPositionDeltaUsd: 1, maxCashDeltaUsd: 1 };

function venue(over: Partial<VenueView> = {}): VenueView {
  return {
    orderIds: new Set(["O1", "O2", "O3"]),
    duplicateOrders: [],
    orders: [],
    rejected: new Set(["O2"]),
    cancels: new Map([["O3", { reason: "rest of a partial fill", at: 3, known: true, remainingQty: 0.1 }]]),
    fills: [
      { fillId: "F1", at: 1, clientOrderId: "O1", side: "buy", qty: 0.1, price: 100, fee: 0.35 },
      { fillId: "F2", at: 3, clientOrderId: "O3", side: "buy", qty: 0.1, price: 100, fee: 0.35 },
    ],
    protocolErrors: [],
    ...over,
  };
}

function input(over: Partial<IntegrityInput> = {}): IntegrityInput {
  return {
    governor: { capitalUsd: 1000, positionShares: 0.2, cashUsd: 1000 - 20 - 0.7, mid: 100, decisions: 3, orders: 3, fills: 2, ledgerPending: 0, openOrders: 0, orderQueue: 0 },
    settled: { quiet: true, waitedMs: 400 },
    venue: venue(),
    answered: new DecisionIdSet(),
    orders: new Map([["O1", { decisionId: "d1", atMs: 1 }], ["O2", { decisionId: "d2", atMs: 2 }], ["O3", { decisionId: "d3", atMs: 3 }]]),
    declares: { redisMirror: false, ledger: false },
    ...over,
  };
}

const gate = (i: IntegrityInput) => integrityGates(i, THRESHOLDS).gates.find((g) => g.id === "orders_accounted")!;

test("filled, rejected, cancelled with a reason: all accounted for, the gate passes and is CRITICAL", () => {
  assert.equal(unaccountedOrders(input()), []);
  const accounted = gate(input());
  assert.is(accounted.status, "pass", accounted.detail);
  assert.is(accounted.severity, "CRITICAL");
  assert.match(accounted.detail, /3 orders the governor answered with and 3 the venue received/);
});

test("an order answered but never at the venue, one never ended, and one still open on the governor: each named", () => {
  const orders = new Map(input().orders).set("O9", { decisionId: "d9", atMs: 9 });
  const withOpen = input({
    orders,
    venue: venue({ orderIds: new Set(["O1", "O2", "O3", "O4"]) }),
    governor: { ...input().governor, openOrders: 2 },
  });
  assert.equal(unaccountedOrders(withOpen).map((d) => [d.kind, d.count, d.ids]), [
    ["order-not-at-venue", 1, ["O9"]],
    ["order-never-ended", 1, ["O4"]],
    ["order-still-open", 2, []],
  ]);
  const failed = gate(withOpen);
  assert.is(failed.status, "fail");
  assert.is(failed.measured, 4);
  assert.match(failed.detail, /order-not-at-venue: 1 \(e\.g\. O9\)/);
});

test("a governor that never settles fails it even with nothing else missing; no journal is no data", () => {
  const unsettled = gate(input({ settled: { quiet: false, waitedMs: 15_000 } }));
  assert.is(unsettled.status, "fail");
  assert.is(unsettled.measured, 1);
  assert.match(unsettled.detail, /did not settle within 15 s/);
  assert.is(gate(input({ venue: undefined })).status, "no-data");
});

test("integrity_log_complete no longer counts the unaccounted order twice", () => {
  const orders = new Map(input().orders).set("O9", { decisionId: "d9", atMs: 9 });
  const log = integrityGates(input({ orders }), THRESHOLDS).gates.find((g) => g.id === "integrity_log_complete")!;
  assert.is(log.status, "pass", log.detail);
});

test.run();
