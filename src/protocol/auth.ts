/** `POST /api/auth`. */
export interface SignInRequest {
  apiKey: string;
}

export interface SignInResponse {
  /** Sent as `Authorization: Bearer <token>` (or `?token=` to the two stream endpoints). */
  token: string;
  player: { id: number; name: string };
  faction: { id: number; name: string };
}

/** `DELETE /api/auth`. */
export interface SignOutResponse {
  ok: true;
  /** Whether the server still stores a key of the member: only while they are signed in elsewhere. */
  keyStored: boolean;
}

/** `DELETE /api/keys/me`: every stored key and every session of the member are gone. */
export interface ForgetKeyResponse {
  ok: true;
  keysDeleted: number;
  sessionsEnded: number;
}
