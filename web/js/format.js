// format.js - French number formats of the dashboard: proportions as percentages with one
// decimal ("12,5 %", a no-break space before %), counts with a narrow no-break space between
// thousands (Intl.NumberFormat('fr-FR')), delays in days, dates, and the text of a masked figure
// ("< 10" for a primary mask, "s" for a secondary one: secret statistique).

const NBSP = '\u00a0';
const pct1 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const int0 = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const dec2 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2,
                                              signDisplay: 'always' });
const p3 = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 3, maximumFractionDigits: 3 });

export const NOT_AVAILABLE = '–';

// proportion 0..1 -> "12,5 %"
export function percent(x) { return pct1.format(x * 100) + NBSP + '%'; }

// a count -> "21 507" (narrow no-break space)
export function count(x) { return int0.format(x); }

// a change of a proportion per year -> "+0,32" (points of percentage)
export function points(x) { return dec2.format(x * 100); }

// a p-value -> "0,020" or "< 0,001"
export function pvalue(x) { return x < 0.001 ? '<' + NBSP + p3.format(0.001) : p3.format(x); }

// a delay in days -> "23 j"
export function days(x) { return int0.format(x) + NBSP + 'j'; }

// "YYYY-MM-DD" -> "31/12/2024"
export function date(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso || NOT_AVAILABLE);
}

// "2024-05-01T10:00:00Z" -> "01/05/2024 10:00:00" (UTC shown as received)
export function datetime(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2}(:\d{2})?)/.exec(iso || '');
  return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}` : (iso || NOT_AVAILABLE);
}

// The text of a figure that may be masked: value null in a row whose `suppressed` is
// "primary" -> "< K" (K the response's min_cell), "secondary" -> "s"; null in an unmasked row
// (not computed: follow-up too short, no interval) -> "–". Else fmt(value).
export function figure(value, suppressed, minCell, fmt) {
  if (value === null || value === undefined) {
    if (suppressed === 'primary') return '<' + NBSP + minCell;
    if (suppressed === 'secondary') return 's';
    return NOT_AVAILABLE;
  }
  return fmt(value);
}
