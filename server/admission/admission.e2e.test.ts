// Admission against a running server: past connectionsMax or the new-connection rate, upgrades get HTTP 503 with
// Retry-After; past the new-request rate, a post is refused with close 1013; the sockets already open keep working.
import { afterEach, describe, expect, test } from "vitest";
import { Client, type TestServer, testServer } from "../testing.ts";
import { Admission } from "./admission.ts";

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
        connectionsMax: 10,
        newConnectionsPerSecondMax: 2,
        newConnectionsBurstMax: 1,
        eventLoopLagMaxMs: 100,
        eventLoopLagMinConnections: 2,
        retryAfterS: 1,
        requestsPerSecondMax: 100,
        requestsBurstMax: 200,
      },
      () => lag,
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
