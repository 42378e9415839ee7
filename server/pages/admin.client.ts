// The management center page: signs in as an administrator and reads configuration and logs through the REST API (R-M1, R-M2).
const loginForm = document.getElementById("login") as HTMLFormElement;
const center = document.getElementById("center")!;
const view = document.getElementById("view")!;
const result = document.getElementById("result")!;
let token = "";

loginForm.onsubmit = async (ev) => {
  ev.preventDefault();
  const data = new FormData(loginForm);
  const res = await fetch("/api/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: data.get("email"), password: data.get("password") }),
  });
  const body = await res.json();
  if (!res.ok || body.account?.role !== "admin") {
    result.textContent = body.message ?? "Not an administrator.";
    return;
  }
  token = body.token;
  loginForm.hidden = true;
  center.hidden = false;
  await show("portals");
};

async function show(name: string): Promise<void> {
  const res = await fetch(`/api/admin/${name}`, { headers: { authorization: `Bearer ${token}` } });
  view.textContent = JSON.stringify(await res.json(), null, 2);
}

for (const button of document.querySelectorAll<HTMLButtonElement>("nav button")) {
  button.onclick = () => void show(button.dataset.view!);
}
