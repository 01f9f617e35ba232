/** Every error answer, whatever the endpoint; clients branch on `code`, never on `message`. */
export interface ErrorBody {
  error: { code: string; message: string };
}
