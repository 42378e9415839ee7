// Viewer hotkeys when enabled (R-V5): F6 send clipboard, F8 highlighter, F9 arrow, F10 chat focus, F11 pen, F12 clear, Esc mouse.

export type HotkeyAction =
  | { type: "clipboard.send" }
  | { type: "tool.select"; tool: "highlighter" | "arrow" | "pen" | "mouse" }
  | { type: "focus.toggleChat" }
  | { type: "annotations.clear" };

const table: Record<string, HotkeyAction> = {
  F6: { type: "clipboard.send" },
  F8: { type: "tool.select", tool: "highlighter" },
  F9: { type: "tool.select", tool: "arrow" },
  F10: { type: "focus.toggleChat" },
  F11: { type: "tool.select", tool: "pen" },
  F12: { type: "annotations.clear" },
  Escape: { type: "tool.select", tool: "mouse" },
};

/** The action for a key, or null when hotkeys are off or the key is not one of them. */
export function hotkeyAction(key: string, enabled: boolean): HotkeyAction | null {
  return enabled ? (table[key] ?? null) : null;
}
