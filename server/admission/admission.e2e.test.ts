// Admission against a running server: past connectionsMax or the new-connection rate, upgrades get HTTP 503 with
// Retry-After; past the new-request rate, a post is refused with close 1013; the sockets already open keep working.
import { afterEach, describe, expect, test } from "vitest";
import { Client, type TestServer, testServer } from "../testing.ts";
import { Admission, defaultAdmissionOptions } from "./admission.ts";
import { defaultThrottleOptions } from "./throttle.ts";

const refusal = (wsUrl: string) =>
  Client.open(wsUrl).then(
    () => "open",
    (e: Error) => e.message,
  );

describe("admission", () => {
  let t: TestServer;
  afterEach(() => t.close());

  test("past connectionsMax new sockets get 503 while open ones still answer", async () => {
    t = await testServer({}, { admission: { connectionsMax: 3 } });
    const open = await Promise.all([1, 2, 3].map(() => Client.hello(t.wsUrl, { role: "anonymous" })));
    expect(await refusal(t.wsUrl)).toBe("HTTP 503");
    for (const c of open) expect((await c.request({ type: "ping" })).type).toBe("pong");
    open[0]!.close();
    await open[0]!.closed();
    await new Promise((r) => setTimeout(r, 20));
    expect(await refusal(t.wsUrl)).toBe("open");
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('tandem_connections_refused_total{reason="connections"} 1');
  });

  test("past the new-connection rate, 503", async () => {
    t = await testServer({}, { admission: { newConnectionsPerSecondMax: 1, newConnectionsBurstMax: 2 } });
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await refusal(t.wsUrl));
    expect(results.filter((r) => r === "HTTP 503").length).toBeGreaterThanOrEqual(2);
  });

  test("event-loop lag over the threshold refuses; the token bucket refills with time", () => {
    let lag = 0;
    let now = 0;
    const a = new Admission(
      {
        ...defaultAdmissionOptions,
        connectionsMax: 10,
        newConnectionsPerSecondMax: 2,
        newConnectionsBurstMax: 1,
        eventLoopLagMaxMs: 100,
        eventLoopLagMinConnections: 2,
      },
      { lagMs: () => lag, busy: () => 0 },
      () => now,
    );
    expect(a.decide(0)).toBeNull();
    expect(a.decide(0)).toBe("rate");
    now += 500;
    expect(a.decide(0)).toBeNull();
    lag = 150;
    expect(a.decide(1)).not.toBe("lag"); // below eventLoopLagMinConnections lag alone refuses nobody
    now += 500;
    expect(a.decide(2)).toBe("lag");
    expect(a.decide(10)).toBe("connections");
  });

  test("R-D2: while the loop is saturated the rates shrink (busy), from eventLoopLagMinConnections open sockets only", () => {
    let busy = 0;
    let now = 0;
    const a = new Admission(
      {
        ...defaultAdmissionOptions,
        newConnectionsPerSecondMax: 10,
        newConnectionsBurstMax: 10,
        eventLoopLagMaxMs: 1_000,
        eventLoopLagMinConnections: 5,
        requestsPerSecondMax: 10,
        requestsBurstMax: 10,
        throttle: {
          ...defaultThrottleOptions,
          windowMs: 100,
          smoothingMs: 100,
          decrease: 0.5,
          shareMin: 0.1,
        },
      },
      // Late (50 ms, over the throttle's lagMinMs) but under the lag ceiling: only the throttle acts.
      { lagMs: () => 50, busy: () => busy },
      () => now,
    );
    const taken = (n: number, open: number) =>
      Array.from({ length: n }, () => a.admitRequest(open)).filter((r) => r === null).length;
    busy = 0.99;
    // A busy loop with few sockets open throttles nobody: 10 a second, as configured.
    now += 1_000;
    expect(taken(20, 1)).toBe(10);
    // Loaded and saturated for 3 windows: the share halves each window, 1 → 0.125, and so do the rate and the depth.
    for (let i = 0; i < 3; i++) {
      now += 100;
      a.admitRequest(10);
    }
    expect(a.throttle.share()).toBeCloseTo(0.125);
    now += 1_000;
    expect(taken(20, 10)).toBe(1);
    expect(a.shed.busy).toBeGreaterThan(0);
    expect(a.decide(10)).toBe(null);
    expect(a.decide(10)).toBe("busy");
    // The loop has room again: the share climbs back, and past it the plain rate limit says "requests".
    busy = 0.2;
    for (let i = 0; i < 100; i++) {
      now += 100;
      a.admitRequest(10);
    }
    expect(a.throttle.share()).toBe(1);
    now += 1_000;
    expect(taken(20, 10)).toBe(10);
    expect(a.admitRequest(10)).toBe("requests");
  });

  test("past the new-request rate a post is refused with Overloaded and close 1013; open sessions carry on", async () => {
    t = await testServer({}, { admission: { requestsPerSecondMax: 1, requestsBurstMax: 1 } });
    const first = await Client.hello(t.wsUrl, { role: "anonymous" });
    const portalId = "nowhere";
    // The first post is taken (and rejected by the floor: no such portal), the second finds no token left.
    const taken = await first.request({ type: "customer.post", portalId, name: "Cy", language: "en" });
    expect(taken.reason).toBe("Rejected");
    const second = await Client.hello(t.wsUrl, { role: "anonymous" });
    const shed = await second.request({ type: "customer.post", portalId, name: "Di", language: "en" });
    expect(shed).toMatchObject({ type: "error", reason: "Overloaded", detail: "requests" });
    expect(await second.closed()).toBe(1013);
    expect((await first.request({ type: "ping" })).type).toBe("pong");
    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    expect(metrics).toContain('tandem_requests_shed_total{reason="requests"} 1');
    // A shed post is not a refused connection: the socket was open, and that count stays apart.
    expect(metrics).not.toMatch(/tandem_connections_refused_total\{reason="requests"\}/);
  });
});
