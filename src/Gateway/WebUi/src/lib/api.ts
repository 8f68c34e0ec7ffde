import { store } from "./dom";
import { solve, type Challenge } from "./proof";

/** A problem+json error; code is the last part of its stable type (urn:opengov-dialogue:problem:<code>). */
export class ApiError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, options: { method?: string; body?: unknown; token?: string | null } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const response = await fetch(path, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (!response.ok) {
    let code = `http-${response.status}`;
    let message = response.statusText;
    try {
      const problem = (await response.json()) as { type?: string; detail?: string; title?: string };
      code = problem.type?.split(":").pop() ?? code;
      message = problem.detail ?? problem.title ?? message;
    } catch {
      // Not problem+json: keep the status.
    }
    throw new ApiError(response.status, code, message);
  }
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

/** Hub errors arrive as "code: message"; REST errors as ApiError. Both give a code for t("error.<code>"). */
export function errorCode(error: unknown): string {
  if (error instanceof ApiError) return error.code;
  const message = error instanceof Error ? error.message : String(error);
  const match = /HubException: ([a-z-]+):/.exec(message) ?? /^([a-z-]+):/.exec(message);
  return match ? match[1] : "generic";
}

interface ParticipantIdentity {
  token: string;
  citizenId: string;
}

const participant = store<ParticipantIdentity | null>("dialogue.participant", null);
let admitted: { consultationId: string; identity: ParticipantIdentity } | null = null;

/** Where the page was admitted with a join code or an invitation: that token (bound to it) acts there. */
export function useAdmission(consultationId: string, identity: ParticipantIdentity): void {
  admitted = { consultationId, identity };
}

/**
 * The participant identity, kept on this device so votes and own items survive reloads: the token this
 * consultation admitted (code or invitation), else the anonymous one, minted once with a solved challenge.
 */
export async function participantToken(): Promise<string> {
  if (admitted && !expired(admitted.identity.token)) return admitted.identity.token;
  const saved = participant.get();
  if (saved && !expired(saved.token)) return saved.token;
  const { challenge, nonce } = await solvedChallenge();
  const fresh = await api<ParticipantIdentity>("/api/auth/participant", { method: "POST", body: { challenge, nonce } });
  participant.set(fresh);
  return fresh.token;
}

/** Fetches a challenge and solves it (a few hundred milliseconds of this device's time). */
export async function solvedChallenge(): Promise<{ challenge: string; nonce: string }> {
  const { challenge, bits } = await api<Challenge>("/api/auth/challenge");
  return { challenge, nonce: await solve(challenge, bits) };
}

export function forgetParticipant(): void {
  participant.set(null);
  admitted = null;
}

export function expired(token: string): boolean {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: number };
    return typeof payload.exp === "number" && payload.exp * 1000 < Date.now() + 60_000;
  } catch {
    return true;
  }
}

export interface StaffSession {
  token: string;
  role: string;
  /** The display name the moderation log shows. */
  name: string;
  /** Who the server knows this session as (account id, or "key:…" for the bootstrap key): claims are held by it. */
  actor: string;
}

export const staffSession = store<StaffSession | null>("dialogue.staff", null, sessionStorage);

function claims(token: string): { sub?: string; name?: string; role?: string } {
  try {
    return JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))) as { sub?: string; name?: string; role?: string };
  } catch {
    return {};
  }
}

function keep(token: string): StaffSession {
  const c = claims(token);
  const session = { token, role: c.role ?? "", name: c.name ?? "", actor: c.sub ?? "" };
  staffSession.set(session);
  return session;
}

/** A named staff account: login and passphrase. */
export async function staffLogin(login: string, passphrase: string): Promise<StaffSession> {
  const { token } = await api<{ token: string }>("/api/auth/login", { method: "POST", body: { login, passphrase } });
  return keep(token);
}

/** The bootstrap admin key (admin; moderator and official only until the first account exists). */
export async function staffSignIn(key: string, role: string): Promise<StaffSession> {
  const { token } = await api<{ token: string }>("/api/auth/token", { method: "POST", body: { key, role } });
  return keep(token);
}

export function consultationFromUrl(): string | null {
  const code = new URLSearchParams(location.search).get("c");
  return code && /^[a-z0-9]{8}$/i.test(code) ? code.toLowerCase() : null;
}
