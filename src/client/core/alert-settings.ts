import type { Store } from './storage.js';

/** The member's alert settings, kept on this device. */
export interface AlertSettings {
  /** Seconds before a watched target leaves hospital (Torn's clock) that the exit alert fires. */
  exitLeadS: number;
  /** The chain alert fires when the chain's timeout falls to this many seconds. */
  chainThresholdS: number;
  /** The enemy's chain is announced once it passes this many hits: they are chaining on us. */
  enemyChainHits: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { exitLeadS: 30, chainThresholdS: 60, enemyChainHits: 25 };
/** The most either time may be: an hour's notice is no alert. */
const MAX_ALERT_S = 3600;
/** The longest chain Torn has a bonus for. */
const MAX_CHAIN_HITS = 100_000;

/** What each setting may be: whole numbers from 1 to its most. */
export const ALERT_SETTING_MAX: Record<keyof AlertSettings, number> = {
  exitLeadS: MAX_ALERT_S,
  chainThresholdS: MAX_ALERT_S,
  enemyChainHits: MAX_CHAIN_HITS,
};

const KEYS: Record<keyof AlertSettings, string> = {
  exitLeadS: 'torncat.exitLeadS',
  chainThresholdS: 'torncat.chainThresholdS',
  enemyChainHits: 'torncat.enemyChainHits',
};

/** A whole number from 1 to `max`, or null. */
function parseWhole(raw: string | null | undefined, max: number): number | null {
  if (raw == null || !/^\s*\d{1,6}\s*$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= max ? n : null;
}

export function readAlertSettings(store: Store): AlertSettings {
  const read = (name: keyof AlertSettings) => parseWhole(store.get(KEYS[name]), ALERT_SETTING_MAX[name]) ?? DEFAULT_ALERT_SETTINGS[name];
  return { exitLeadS: read('exitLeadS'), chainThresholdS: read('chainThresholdS'), enemyChainHits: read('enemyChainHits') };
}

/** Stores one setting; false (nothing stored) when the value is not a whole number from 1 to the setting's most. */
export function writeAlertSetting(store: Store, name: keyof AlertSettings, raw: string): boolean {
  const n = parseWhole(raw, ALERT_SETTING_MAX[name]);
  if (n === null) return false;
  store.set(KEYS[name], String(n));
  return true;
}
