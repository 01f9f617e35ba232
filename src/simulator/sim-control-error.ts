/** A refused control request: the control routes answer `status` + `{"error": message}`. */
export class SimControlError extends Error {
  readonly status: 400 | 404 | 409;

  constructor(status: 400 | 404 | 409, message: string) {
    super(message);
    this.name = 'SimControlError';
    this.status = status;
  }
}
