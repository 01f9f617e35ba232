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
