// What the views share on the page: elements by id, the message line, table cells, and the one refresh timer.

export const $ = (id) => document.getElementById(id);

export function showMessage(text) { $("message").textContent = text || ""; }

export function cell(row, text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

export function linkCell(row, text, href) {
  const td = document.createElement("td");
  const a = document.createElement("a");
  a.href = href;
  a.textContent = text;
  td.appendChild(a);
  row.appendChild(td);
  return td;
}

let timer = null;

// Calls refresh every interval ms while keepGoing (if given) says so; a failure is shown, and the next tick tries again.
export function startPolling(refresh, interval, keepGoing) {
  clearInterval(timer);
  timer = setInterval(() => {
    if (keepGoing && !keepGoing()) return;
    refresh().catch((e) => showMessage(e.message));
  }, interval);
}

export function stopPolling() {
  clearInterval(timer);
  timer = null;
}
