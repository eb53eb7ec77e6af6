// The web app's only way to data: POST /graphql with the bearer key kept in this tab's
// sessionStorage. Nothing personal ever goes into a URL.

const KEY = "c360.token";

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(KEY);
  },
  save(token) {
    sessionStorage.setItem(KEY, token);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

/** Run a query or mutation; resolves to `data`, rejects with the first error. */
export async function gql(query, variables = {}) {
  const response = await fetch("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${session.token || ""}` },
    body: JSON.stringify({ query, variables }),
    credentials: "omit",
    cache: "no-store",
  });
  if (response.status === 401) {
    throw new ApiError("Not signed in, or the key is not valid any more.", "UNAUTHENTICATED");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status}.`, "HTTP");
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions && first.extensions.code);
  }
  return body.data;
}

let fields = null;

/** The Query fields the server has: pages show optional sections (e.g. reviewQueue) only when present. */
export async function queryFields() {
  if (!fields) {
    const data = await gql("{ __type(name: \"Query\") { fields { name } } }");
    fields = new Set(data.__type.fields.map((f) => f.name));
  }
  return fields;
}

/** Relay global id of a graph entity, as the API encodes it (base64url of "Type:key", unpadded). */
export function globalId(type, key) {
  const bytes = new TextEncoder().encode(`${type}:${key}`);
  let binary = "";
  bytes.forEach((b) => (binary += String.fromCharCode(b)));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
