import type { RawData } from 'ws';
import { AppError } from '../../errors.js';
import { CALL_OP_NAMES, type CallOp } from '../../protocol/call.js';
import { parseResumePoint } from '../../realtime/resume-point.js';
import { parseOp } from '../../war/call-ops.js';

/** Longest string `ref` echoed in an answer. */
export const MAX_REF_CHARS = 128;

/** What a client tags a command with, echoed in its answer: a short string or a finite number. */
export type Ref = string | number | undefined;

/** A WebSocket command, checked (a member command's fields as one op of POST /api/calls). */
export type WsCommand = { type: 'ping' } | { type: 'resume'; from: number | undefined } | { type: 'op'; op: CallOp };

/** One message: its ref (when it is one to echo), and its command or why it is none. */
export interface WsMessage {
  ref: Ref;
  command: WsCommand | AppError;
}

const SHAPES =
  `Commands are {"type":<op>,"targetId":N,"ref":…} (or {"op":<op>,…}) with <op> one of ${CALL_OP_NAMES.join(', ')}, ` +
  '{"type":"resume","lastEventId":N} or {"type":"ping"}';

/**
 * Reads a message. A `ref` that is not a bounded scalar refuses the command and is not echoed: an
 * answer built from what the client sent must stay small and must always serialize.
 */
export function readMessage(raw: RawData, isBinary: boolean): WsMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(isBinary ? '' : raw.toString());
  } catch {
    return { ref: undefined, command: new AppError('invalid_json', 'Each message must be one JSON object') };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ref: undefined, command: new AppError('invalid_request', SHAPES) };
  }
  const { ref, ...fields } = parsed as Record<string, unknown>;
  if (!isRef(ref)) {
    return {
      ref: undefined,
      command: new AppError('invalid_request', `ref must be a string of at most ${MAX_REF_CHARS} characters or a finite number`),
    };
  }
  try {
    return { ref, command: readCommand(fields) };
  } catch (e) {
    if (e instanceof AppError) return { ref, command: e };
    throw e;
  }
}

function isRef(ref: unknown): ref is Ref {
  return ref === undefined || (typeof ref === 'string' && ref.length <= MAX_REF_CHARS) || (typeof ref === 'number' && Number.isFinite(ref));
}

function readCommand(fields: Record<string, unknown>): WsCommand {
  // `{"op": …}` without `type` is a member command too (the shape of a POST /api/calls op).
  const type = 'type' in fields ? fields.type : fields.op;
  if (type === 'ping') return { type: 'ping' };
  if (type === 'resume') {
    const at = fields.lastEventId;
    if (at !== undefined && at !== null && typeof at !== 'number' && typeof at !== 'string') throw new AppError('invalid_request', SHAPES);
    return { type: 'resume', from: parseResumePoint(at) };
  }
  if (typeof type === 'string' && (CALL_OP_NAMES as readonly string[]).includes(type)) {
    const { type: _type, ...op } = fields;
    return { type: 'op', op: parseOp({ ...op, op: type }, type) };
  }
  throw new AppError('invalid_request', SHAPES);
}
