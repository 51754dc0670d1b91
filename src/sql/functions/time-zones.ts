// Time zones as Java's ZoneId names them: region ids ('America/Los_Angeles') through Intl, and fixed
// offsets ('+0200', '+02:00', 'UTC+2', 'Z') computed here, since Intl does not take offsets as zones.

export interface Zone {
  readonly id: string;
  /** Minutes east of UTC at the instant. */
  offsetMinutes(epochMs: number): number;
  /** The zone's name at the instant as Java prints it: 'PDT', or 'Pacific Daylight Time' when long. */
  displayName(epochMs: number, long: boolean): string;
}

const OFFSET = /^(?:(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?)$/i;

function fixedOffset(id: string, minutes: number): Zone {
  return {
    id,
    offsetMinutes: () => minutes,
    displayName: () => (minutes === 0 ? 'Z' : formatOffset(minutes, true)),
  };
}

/** +HH:MM (colon) or +HHMM. */
export function formatOffset(minutes: number, colon: boolean): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${sign}${hh}${colon ? ':' : ''}${mm}`;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string, locale: string, name?: 'short' | 'long'): Intl.DateTimeFormat {
  const key = `${zone}|${locale}|${name ?? ''}`;
  let f = partsCache.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
      ...(name === undefined ? {} : { timeZoneName: name }),
    });
    partsCache.set(key, f);
  }
  return f;
}

function regionZone(id: string): Zone {
  const offsetMinutes = (epochMs: number): number => {
    const parts = formatter(id, 'en-US').formatToParts(new Date(epochMs));
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const bc = parts.find((p) => p.type === 'era')?.value === 'B';
    const year = bc ? 1 - get('year') : get('year');
    const local = Date.UTC(year, get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    const wholeSeconds = Math.floor(epochMs / 1000) * 1000;
    return Math.round((local - wholeSeconds) / 60000);
  };
  const nameIn = (epochMs: number, locale: string, style: 'short' | 'long'): string =>
    formatter(id, locale, style)
      .formatToParts(new Date(epochMs))
      .find((p) => p.type === 'timeZoneName')?.value ?? id;
  return {
    id,
    offsetMinutes,
    displayName(epochMs, long) {
      if (long) return nameIn(epochMs, 'en-US', 'long');
      // en-US knows the American abbreviations, en-GB the European ones; else the long name's initials
      // ('Japan Standard Time' → JST), as Java's own abbreviations mostly are.
      for (const locale of ['en-US', 'en-GB']) {
        const short = nameIn(epochMs, locale, 'short');
        if (!/^GMT[+-]/.test(short)) return short;
      }
      const longName = nameIn(epochMs, 'en-US', 'long');
      return /^GMT/.test(longName) ? longName : longName.replace(/[^A-Z]/g, '');
    },
  };
}

const cache = new Map<string, Zone>();

/** The zone for a Java zone id; throws, as ZoneId.of does, for an unknown one. */
export function zoneOf(id: string): Zone {
  const cached = cache.get(id);
  if (cached !== undefined) return cached;
  let zone: Zone;
  const offset = OFFSET.exec(id);
  if (id === 'Z' || /^(UTC|GMT|UT)$/i.test(id)) zone = fixedOffset(id, 0);
  else if (offset !== null) {
    const minutes = Number(offset[2]) * 60 + Number(offset[3] ?? 0);
    zone = fixedOffset(id, offset[1] === '-' ? -minutes : minutes);
  } else {
    try {
      formatter(id, 'en-US');
    } catch {
      throw new Error(`Unknown time-zone ID: ${id}`);
    }
    zone = regionZone(id);
  }
  if (/^(UTC|GMT|UT)$/i.test(id)) zone = { ...zone, displayName: () => id.toUpperCase() };
  cache.set(id, zone);
  return zone;
}

export const UTC: Zone = zoneOf('UTC');

/** The instant of a local date-time (as ms, read as if UTC) in the zone; in a gap or overlap, the earlier offset. */
export function localToEpoch(localMs: number, zone: Zone): number {
  let guess = localMs - zone.offsetMinutes(localMs) * 60000;
  for (let i = 0; i < 2; i++) {
    const next = localMs - zone.offsetMinutes(guess) * 60000;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/** Zone abbreviations Java's parser accepts for `z`, mapped to the zone they stand for. */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  MST: 'America/Denver',
  MDT: 'America/Denver',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  AKST: 'America/Anchorage',
  AKDT: 'America/Anchorage',
  HST: 'Pacific/Honolulu',
  BST: 'Europe/London',
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  EET: 'Europe/Athens',
  EEST: 'Europe/Athens',
  WET: 'Europe/Lisbon',
  WEST: 'Europe/Lisbon',
  JST: 'Asia/Tokyo',
  IST: 'Asia/Kolkata',
  AEST: 'Australia/Sydney',
  AEDT: 'Australia/Sydney',
  UTC: 'UTC',
  GMT: 'GMT',
  Z: 'UTC',
};
