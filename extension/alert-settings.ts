import { storage } from 'wxt/utils/storage';
import type { AlertKind } from '../lib/alerts';

/**
 * The rep's choices for lead alerts, set on the options page and read by the worker at every check
 * (so a change applies from the next alarm on, with nothing to restart).
 */
export interface AlertPrefs {
  kinds: Record<AlertKind, boolean>;
  /** Off: notifications appear silently. */
  sound: boolean;
  /** "HH:MM": when what fell due out of hours is summed up; null: at the working day's start. */
  digestTime: string | null;
}

export const defaultAlertPrefs: AlertPrefs = {
  kinds: { due_soon: true, overdue: true, step: true },
  sound: true,
  digestTime: null,
};

export const alertPrefsSetting = storage.defineItem<AlertPrefs>('local:alertPrefs', {
  fallback: defaultAlertPrefs,
  version: 1,
});
