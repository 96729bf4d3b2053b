//! APPLY's string and time functions as RediSearch 2.10 has them (src/aggregate/functions/):
//! `format` (`%s` only), `split`, `to_number`, `timefmt` / `parsetime` (strftime formats, UTC),
//! and the date parts (`hour`, `minute`, `day`, `month` round a timestamp down; `year`,
//! `dayofweek` (0 = Sunday), `dayofmonth`, `dayofyear` (from 0), `monthofyear` (from 0)).

use super::filter::{Func, Val};

/// The functions this module evaluates.
pub fn handles(f: Func) -> bool {
    use Func::*;
    matches!(
        f,
        ToNumber
            | Format
            | Split
            | Timefmt
            | Parsetime
            | Hour
            | Minute
            | Day
            | Month
            | Year
            | DayOfWeek
            | DayOfMonth
            | DayOfYear
            | MonthOfYear
            | GeoDistance
    )
}

/// A `format()` string takes `%s` and `%%` only.
pub fn check_format(f: &str) -> Result<(), String> {
    let mut it = f.chars();
    while let Some(c) = it.next() {
        if c == '%' && !matches!(it.next(), Some('s' | '%')) {
            return Err("Unknown format specifier passed".into());
        }
    }
    Ok(())
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// (year, month 1-12, day 1-31) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// A timestamp's parts: (year, month, day, hour, minute, second, day of year from 0, weekday).
fn parts(ts: i64) -> (i64, i64, i64, i64, i64, i64, i64, i64) {
    let days = ts.div_euclid(86400);
    let secs = ts.rem_euclid(86400);
    let (y, m, d) = civil_from_days(days);
    let yday = days - days_from_civil(y, 1, 1);
    (y, m, d, secs / 3600, secs / 60 % 60, secs % 60, yday, (days + 4).rem_euclid(7))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// strftime in UTC for the usual specifiers.
fn strftime(ts: i64, fmt: &str) -> String {
    let (y, m, d, hh, mm, ss, yday, wday) = parts(ts);
    let mut out = String::new();
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let month = MONTHS.get((m - 1) as usize).copied().unwrap_or("");
        let day = DAYS.get(wday as usize).copied().unwrap_or("");
        match it.next() {
            Some('Y') => out.push_str(&y.to_string()),
            Some('y') => out.push_str(&format!("{:02}", y.rem_euclid(100))),
            Some('m') => out.push_str(&format!("{m:02}")),
            Some('d') => out.push_str(&format!("{d:02}")),
            Some('e') => out.push_str(&format!("{d:2}")),
            Some('H') => out.push_str(&format!("{hh:02}")),
            Some('M') => out.push_str(&format!("{mm:02}")),
            Some('S') => out.push_str(&format!("{ss:02}")),
            Some('j') => out.push_str(&format!("{:03}", yday + 1)),
            Some('F') => out.push_str(&format!("{y}-{m:02}-{d:02}")),
            Some('T') => out.push_str(&format!("{hh:02}:{mm:02}:{ss:02}")),
            Some('R') => out.push_str(&format!("{hh:02}:{mm:02}")),
            Some('s') => out.push_str(&ts.to_string()),
            Some('b' | 'h') => out.push_str(month.get(..3).unwrap_or("")),
            Some('B') => out.push_str(month),
            Some('a') => out.push_str(day.get(..3).unwrap_or("")),
            Some('A') => out.push_str(day),
            Some('u') => out.push_str(&(if wday == 0 { 7 } else { wday }).to_string()),
            Some('w') => out.push_str(&wday.to_string()),
            Some('Z') => out.push_str("GMT"),
            Some('z') => out.push_str("+0000"),
            Some('%') => out.push('%'),
            Some(other) => {
                out.push('%');
                out.push(other);
            }
            None => out.push('%'),
        }
    }
    out
}

/// strptime in UTC for %Y %m %d %H %M %S %F %T and literal text; None when it does not match.
fn strptime(s: &str, fmt: &str) -> Option<i64> {
    let (mut y, mut m, mut d, mut hh, mut mm, mut ss) = (1900, 1, 1, 0, 0, 0);
    let b = s.as_bytes();
    let mut i = 0;
    let num = |i: &mut usize, max: usize| -> Option<i64> {
        let start = *i;
        while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
            *i += 1;
        }
        s.get(start..*i)?.parse().ok()
    };
    let mut it = fmt.chars();
    while let Some(c) = it.next() {
        if c != '%' {
            if b.get(i) != Some(&(c as u8)) {
                return None;
            }
            i += 1;
            continue;
        }
        match it.next()? {
            'Y' => y = num(&mut i, 4)?,
            'm' => m = num(&mut i, 2)?,
            'd' => d = num(&mut i, 2)?,
            'H' => hh = num(&mut i, 2)?,
            'M' => mm = num(&mut i, 2)?,
            'S' => ss = num(&mut i, 2)?,
            'F' => {
                y = num(&mut i, 4)?;
                (b.get(i) == Some(&b'-')).then_some(())?;
                i += 1;
                m = num(&mut i, 2)?;
                (b.get(i) == Some(&b'-')).then_some(())?;
                i += 1;
                d = num(&mut i, 2)?;
            }
            'T' => {
                hh = num(&mut i, 2)?;
                i += 1;
                mm = num(&mut i, 2)?;
                i += 1;
                ss = num(&mut i, 2)?;
            }
            _ => return None,
        }
    }
    Some(days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss)
}

/// Evaluate one of [`handles`]' functions over its argument values.
pub fn call(f: Func, args: &[Val]) -> Val {
    if let Some(bad) = args.iter().find(|v| matches!(v, Val::Err(_))) {
        return bad.clone();
    }
    let text = |i: usize| args.get(i).and_then(Val::text);
    // Timestamps within ±1e15 s (some 30 million years): the date arithmetic stays in range.
    let ts = || args.first().and_then(Val::number).filter(|n| n.abs() < 1e15).map(|n| n as i64);
    match f {
        Func::GeoDistance => geodistance(args),
        Func::ToNumber => args.first().and_then(Val::number).map_or(Val::Null, Val::Num),
        Func::Format => {
            let Some(fmt) = text(0) else { return Val::Null };
            let mut out = String::new();
            let mut next = 1;
            let mut it = fmt.chars();
            while let Some(c) = it.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match it.next() {
                    Some('s') => {
                        out.push_str(&text(next).unwrap_or_else(|| "(null)".into()));
                        next += 1;
                    }
                    _ => out.push('%'),
                }
            }
            Val::Str(out)
        }
        Func::Split => {
            let Some(s) = text(0) else { return Val::Null };
            let sep = text(1).unwrap_or_else(|| ",".into());
            let strip = text(2).unwrap_or_else(|| " ".into());
            let parts = s
                .split(|c: char| sep.contains(c))
                .map(|p| p.trim_matches(|c: char| strip.contains(c)))
                .filter(|p| !p.is_empty())
                .map(|p| Val::Str(p.to_string()))
                .collect();
            Val::Arr(parts)
        }
        Func::Timefmt => match ts() {
            Some(t) => Val::Str(strftime(t, &text(1).unwrap_or_else(|| "%FT%TZ".into()))),
            None => Val::Null,
        },
        Func::Parsetime => match (text(0), text(1)) {
            (Some(s), Some(fmt)) => strptime(&s, &fmt).map_or(Val::Null, |t| Val::Num(t as f64)),
            _ => Val::Null,
        },
        _ => {
            let Some(t) = ts() else { return Val::Null };
            let (y, m, _, _, _, _, yday, wday) = parts(t);
            let days = t.div_euclid(86400);
            Val::Num(match f {
                Func::Hour => t - t.rem_euclid(3600),
                Func::Minute => t - t.rem_euclid(60),
                Func::Day => days * 86400,
                Func::Month => days_from_civil(y, m, 1) * 86400,
                Func::Year => y,
                Func::DayOfWeek => wday,
                Func::DayOfMonth => parts(t).2,
                Func::DayOfYear => yday,
                _ => m - 1,
            } as f64)
        }
    }
}

/// `geodistance(a, b)`, `geodistance(a, lon, lat)` or `geodistance(lon, lat, lon, lat)`: metres
/// between two points (a point as a GEO field writes it, `lon,lat`), rounded to the centimetre,
/// by Redis's haversine as RediSearch computes it.
fn geodistance(args: &[Val]) -> Val {
    let point = |v: &Val| v.text().and_then(|t| super::index::parse_geo_text(t.as_bytes()));
    let pair = |lon: &Val, lat: &Val| Some((lon.number()?, lat.number()?));
    let points = match args {
        [a, b] => point(a).zip(point(b)),
        [a, lon, lat] => point(a).zip(pair(lon, lat)),
        [lon1, lat1, lon2, lat2] => pair(lon1, lat1).zip(pair(lon2, lat2)),
        _ => None,
    };
    match points {
        Some(((lon1, lat1), (lon2, lat2))) => {
            let metres = crate::geohash::distance(lon1, lat1, lon2, lat2);
            Val::Num((metres * 100.0).round() / 100.0)
        }
        None if args.contains(&Val::Null) => Val::Null,
        None => Val::Err("Invalid geo string"),
    }
}
