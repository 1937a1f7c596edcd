// The API client: every request to the server goes through here, with the token (if one was entered) as a bearer
// header and no caching; a refusal becomes an HttpError whose message the page can show as it is.

const TOKEN_KEY = "trainer.token";

/** The token entered in the Token field, kept for this tab only (sessionStorage); "" when none. */
export function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

/** Keeps a token for this tab, or forgets it when the value is empty. */
export function saveToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

class HttpError extends Error {
  constructor(status, text) { super(text); this.status = status; }
}

export async function request(path, options) {
  const headers = Object.assign({ Accept: "application/json" }, (options && options.headers) || {});
  if (token()) headers.Authorization = "Bearer " + token();
  const response = await fetch(path, Object.assign({}, options, { headers, cache: "no-store" }));
  if (response.status === 401)
    throw new HttpError(401, token() ? "The server refused the token: enter the right one in the Token field above."
      : "This server needs a token: enter it in the Token field above.");
  if (!response.ok) throw new HttpError(response.status, await problemText(response));
  return response;
}

export async function getJson(path) { return (await request(path)).json(); }

// An RFC 7807 problem's detail (else its title), or the status line.
async function problemText(response) {
  const type = response.headers.get("content-type") || "";
  try {
    if (type.includes("json")) {
      const problem = await response.json();
      return problem.detail || problem.title || response.status + " " + response.statusText;
    }
    const text = (await response.text()).trim();
    return text || response.status + " " + response.statusText;
  } catch (e) {
    return response.status + " " + response.statusText;
  }
}
