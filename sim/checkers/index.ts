// The checkers the simulator runs, each named after the rules it guards; a fresh set per run.
import { broadcast } from "./broadcast.ts";
import { capacity } from "./capacity.ts";
import { endOfDay } from "./endOfDay.ts";
import { queueFifo } from "./fifo.ts";
import { handover } from "./handover.ts";
import { hiddenInvitee } from "./hidden.ts";
import { requestLifecycle } from "./lifecycle.ts";
import { singleOwner } from "./owners.ts";
import { phoneNoAlert } from "./phone.ts";
import { smartCode } from "./smartCode.ts";
import type { Checker } from "./types.ts";
import { withdrawal } from "./withdrawal.ts";

export const checkerFactories = {
  requestLifecycle,
  singleOwner,
  capacity,
  queueFifo,
  broadcast,
  phoneNoAlert,
  smartCode,
  handover,
  hiddenInvitee,
  withdrawal,
  endOfDay,
} satisfies Record<string, () => Checker>;

export const allCheckers = (): Checker[] => Object.values(checkerFactories).map((make) => make());

export { CheckSuite, type SuiteSettings } from "./suite.ts";
export type { CheckContext, Checker, Finding, FloorProbe } from "./types.ts";
