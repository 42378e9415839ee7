// The agent's console preferences (alerts, list, chat, availability) and the columns each list may show (R-L1, R-L2).
export type SectionKey = "incoming" | "current" | "history" | "details" | "codes";
export type ColumnKey =
  | "clock"
  | "portal"
  | "sessionId"
  | "sent"
  | "name"
  | "language"
  | "question"
  | "state"
  | "start"
  | "end"
  | "resolution";

/** Every column each list can show, in display order (R-L2, R-L5). */
export const columnsOf: Record<"incoming" | "current" | "history", readonly ColumnKey[]> = {
  incoming: ["clock", "portal", "sessionId", "sent", "name", "language", "question"],
  current: ["clock", "state", "portal", "sessionId", "sent", "name", "language", "question"],
  history: ["start", "end", "resolution", "portal", "sessionId", "name", "language", "question"],
};

export interface Preferences {
  sections: Record<SectionKey, boolean>;
  columns: Record<"incoming" | "current" | "history", ColumnKey[]>;
  /** R-P9: how long an alert stays on screen. */
  alertDisplaySeconds: number;
  /** R-P9: reminders by situation (also sent to the floor when the server saves preferences). */
  remindWhen: { idle: boolean; inSession: boolean; atMaximum: boolean };
  notifications: boolean;
  /** R-L3: Incoming clock thresholds. */
  attentionSeconds: number;
  warningSeconds: number;
  enterSends: boolean;
  timestamps: boolean;
  /** R-A6. */
  unavailableAfterSession: boolean;
  unavailableReminderSeconds: number;
  /** R-V6: the shared screen turns grey while the console window does not have the focus. */
  greyOutUnfocused: boolean;
  /** R-V6: a notice in the screen panel when the customer has several monitors (R-V2). */
  multiMonitorNotice: boolean;
  /** R-V6 host preference: true colour, or 256 colours (speed). */
  hostColours: "true" | "256";
  /** R-V5: the viewer hotkeys (F6, F8–F12, Esc) and arrow-key scrolling (R-V1). */
  hotkeys: boolean;
  /** R-V6: in full screen under shared control, keys the browser would keep (Esc, Alt+Tab, Ctrl+W…) go to the customer. */
  forwardSystemKeys: boolean;
  /** R-V3, R-V6: where a session's screen opens once the customer shares it: in its tab, or a window of its own. */
  screenOpensIn: "tab" | "window";
}

export const defaultPreferences: Preferences = {
  sections: { incoming: true, current: true, history: true, details: true, codes: true },
  columns: {
    incoming: [...columnsOf.incoming],
    current: [...columnsOf.current],
    history: [...columnsOf.history],
  },
  alertDisplaySeconds: 30,
  remindWhen: { idle: true, inSession: true, atMaximum: false },
  notifications: true,
  attentionSeconds: 60,
  warningSeconds: 180,
  enterSends: true,
  timestamps: true,
  unavailableAfterSession: false,
  unavailableReminderSeconds: 0,
  greyOutUnfocused: true,
  multiMonitorNotice: true,
  hostColours: "true",
  // On, as in GoToAssist: the tools' keys (F10 to the chat above all) are what agents expect from the first session.
  hotkeys: true,
  // Off: a locked keyboard makes Esc the customer's, so leaving full screen takes a long press — a choice to make.
  forwardSystemKeys: false,
  screenOpensIn: "tab",
};
