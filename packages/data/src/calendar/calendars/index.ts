import type { ExchangeCalendarDefinition } from '../special-day';
import { ALWAYS_OPEN, CUSTOM } from './always';
import { CME_GLOBEX_EQUITY } from './cme-globex-equity';
import { US_EQUITIES } from './us-equities';

/** The calendar presets of `session_data_config.calendar.preset`, by name. One file per exchange. */
export const CALENDAR_DEFINITIONS: Readonly<Record<string, ExchangeCalendarDefinition>> = {
  us_equities: US_EQUITIES,
  cme_globex_equity: CME_GLOBEX_EQUITY,
  '24x7': ALWAYS_OPEN,
  custom: CUSTOM,
};

export { ALWAYS_OPEN, CUSTOM } from './always';
export { CME_GLOBEX_EQUITY, cmeGlobexEquitySpecialDays } from './cme-globex-equity';
export {
  NYSE_ONE_OFF_EARLY_CLOSES,
  NYSE_UNSCHEDULED_CLOSURES,
  nyseSpecialDays,
  US_EQUITIES,
} from './us-equities';
