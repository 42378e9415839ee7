// k6: at twice the target load, new connections must be refused cleanly (HTTP 503 with Retry-After, or WebSocket
// close 1013) while the sessions of floor.js keep working. Run it alongside floor.js (see README.md).
import { check } from "k6";
import { Counter } from "k6/metrics";
import ws from "k6/ws";
import { hello } from "../load/logic/io.js";
import { WS } from "./lib.js";

const opened = new Counter("overload_opened");
const refused = new Counter("overload_refused");
const unclean = new Counter("overload_unclean");

export const options = {
  scenarios: {
    flood: {
      executor: "constant-arrival-rate",
      rate: Number(__ENV.CONNECT_RATE || 1500),
      timeUnit: "1s",
      duration: __ENV.DURATION || "20s",
      preAllocatedVUs: 2000,
      maxVUs: Number(__ENV.EXTRA || 11250),
    },
  },
  thresholds: {
    overload_unclean: ["count==0"],
    overload_refused: ["count>0"],
    checks: ["rate==1.0"],
  },
};

export default function () {
  const res = ws.connect(WS, {}, (socket) => {
    socket.on("open", () => {
      opened.add(1);
      socket.send(JSON.stringify(hello({ role: "anonymous" })));
    });
    socket.on("close", (code) => {
      if (code === 1013) refused.add(1);
    });
    // Hold the connection a while, as a real customer page would.
    socket.setTimeout(() => socket.close(), 15000);
  });
  const clean = !res || res.status === 101 || res.status === 503;
  if (res && res.status === 503) refused.add(1);
  if (!clean) unclean.add(1);
  check(res, { "connection opened or refused cleanly (503/1013)": () => clean });
}
