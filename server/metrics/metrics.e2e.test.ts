// GET /metrics against a running server: Prometheus text with every family, fed by real traffic; access by configuration.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { addAgent, addPortal, Client, customerPost, type TestServer, testServer } from "../testing.ts";
import { ServerMetrics } from "./metrics.ts";

describe("GET /metrics", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await testServer();
  });
  afterAll(() => t.close());

  test("reports connections by role, requests, sessions per agent, queues, latency, lag and RSS", async () => {
    const a = await addAgent(t, "Mia", 2);
    const portal = addPortal(t, { type: "smartBox", mode: "queue", members: [a.id] });
    const agent = await Client.agent(t, a.email);
    const { requestId } = await customerPost(t, { portalId: portal });
    await agent.event("offer.made", (e) => e.requestId === requestId);
    await agent.ok({ type: "request.answer", requestId });
    await agent.event("session.started");
    // Garbage enough for a few young-generation collections, which the server (in this process) must count.
    let kept = 0;
    for (let i = 0; i < 2_000_000; i++) kept += new Array(8).length;
    expect(kept).toBe(16_000_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await fetch(`${t.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(text).toContain('tandem_connections{role="agent"} 1');
    expect(text).toContain('tandem_connections{role="customer"} 1');
    expect(text).toContain('tandem_requests_total{outcome="started"} 1');
    expect(text).toContain('tandem_agents_by_sessions{sessions="1"}');
    expect(text).toContain(`tandem_queue_length{portal="${portal}"} 0`);
    expect(text).toMatch(/tandem_routing_seconds_count [1-9]/);
    expect(text).toContain('tandem_event_loop_lag_seconds{quantile="0.99"}');
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
    expect(text).toMatch(/tandem_gc_total\{kind="minor"\} [1-9]/);
    expect(text).toMatch(/tandem_gc_seconds_total\{kind="minor"\} [\d.e-]*[1-9]/);
    // Every sample line is `name{labels} value` or `name value`.
    for (const line of text
      .trim()
      .split("\n")
      .filter((l) => !l.startsWith("#")))
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[\d.e+-]+$/);
    agent.close();
  });
});

describe("metrics access", () => {
  const sources = {
    connectionsByRole: () => ({}),
    lag: { p50Ms: 0, p99Ms: 0, maxMs: 0 } as never,
    gc: {} as never,
    refusals: () => ({}),
    admissionShare: () => 1,
    shed: () => ({}),
  };
  test("loopback is allowed by default, other addresses need the token", () => {
    const m = new ServerMetrics({ metricsToken: "s3cret", metricsLoopbackAllowed: true }, sources);
    expect(m.allowed("127.0.0.1", undefined)).toBe(true);
    expect(m.allowed("::ffff:127.0.0.1", undefined)).toBe(true);
    expect(m.allowed("10.0.0.5", undefined)).toBe(false);
    expect(m.allowed("10.0.0.5", "Bearer wrong!")).toBe(false);
    expect(m.allowed("10.0.0.5", "Bearer s3cret")).toBe(true);
  });
  test("with loopback switched off even 127.0.0.1 needs the token", () => {
    const m = new ServerMetrics({ metricsToken: null, metricsLoopbackAllowed: false }, sources);
    expect(m.allowed("127.0.0.1", undefined)).toBe(false);
    expect(m.allowed("127.0.0.1", "Bearer anything")).toBe(false);
  });
});
