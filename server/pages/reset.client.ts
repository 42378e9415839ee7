// The forgot-password page (R-A4): posts the new password with the single-use token from the mailed link.
const form = document.getElementById("reset") as HTMLFormElement;
const result = document.getElementById("result")!;
const token = new URLSearchParams(location.search).get("token") ?? "";
form.onsubmit = async (ev) => {
  ev.preventDefault();
  const data = new FormData(form);
  const res = await fetch("/api/password/reset", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, next: data.get("next"), repeat: data.get("repeat") }),
  });
  const body = await res.json();
  result.textContent = res.ok
    ? "Your password is set. You can log in."
    : body.problems
      ? `Password ${body.problems.join("; ")}.`
      : body.error === "mismatch"
        ? "The two passwords differ."
        : "This link is invalid, used or expired. Ask for a new one.";
};
