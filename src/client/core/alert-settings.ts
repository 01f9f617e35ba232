import type { Store } from './storage.js';

/** The member's alert settings, kept on this device. */
export interface AlertSettings {
  /** Seconds before a watched target leaves hospital (Torn's clock) that the exit alert fires. */
  exitLeadS: number;
  /** The chain alert fires when the chain's timeout falls to this many seconds. */
  chainThresholdS: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { exitLeadS: 30, chainThresholdS: 60 };
/** The most either setting may be: an hour's notice is no alert. */
export const MAX_ALERT_S = 3600;

const KEYS: Record<keyof AlertSettings, string> = { exitLeadS: 'torncat.exitLeadS', chainThresholdS: 'torncat.chainThresholdS' };

/** A whole number of seconds from 1 to MAX_ALERT_S, or null. */
function parseAlertSeconds(raw: string | null | undefined): number | null {
  if (raw == null || !/^\s*\d{1,4}\s*$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= MAX_ALERT_S ? n : null;
}

export function readAlertSettings(store: Store): AlertSettings {
  return {
    exitLeadS: parseAlertSeconds(store.get(KEYS.exitLeadS)) ?? DEFAULT_ALERT_SETTINGS.exitLeadS,
    chainThresholdS: parseAlertSeconds(store.get(KEYS.chainThresholdS)) ?? DEFAULT_ALERT_SETTINGS.chainThresholdS,
  };
}

/** Stores one setting; false (nothing stored) when the value is not 1–3600 whole seconds. */
export function writeAlertSetting(store: Store, name: keyof AlertSettings, raw: string): boolean {
  const n = parseAlertSeconds(raw);
  if (n === null) return false;
  store.set(KEYS[name], String(n));
  return true;
}
