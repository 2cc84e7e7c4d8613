//! String functions: XPath 1.0's plus ODK's `substr`, `join`, `regex`,
//! `base64-decode`, and `concat` over node-sets.

use super::{flatten, g, gn, gs};
use crate::instance::Forest;
use crate::xpath::eval::Ctx;
use crate::xpath::value::{node_string, Value};
use crate::xpath::XPathError;
use base64::Engine as _;

pub(super) fn call(name: &str, v: &[Value], f: &Forest, c: &Ctx) -> Result<Value, XPathError> {
    let own = || node_string(f, c.node);
    Ok(match name {
        "concat" => Value::String(flatten(v, f).concat()),
        "join" => {
            let sep = gs(v, 0, f);
            Value::String(flatten(v.get(1..).unwrap_or(&[]), f).join(&sep))
        }
        "substr" => {
            // ODK: 0-based start, exclusive end, in characters; negative counts from
            // the end, like Java's substring with bounds clamped.
            let s: Vec<char> = gs(v, 0, f).chars().collect();
            let len = s.len() as i64;
            let clamp = |x: f64| -> usize {
                let x = if x.is_nan() { 0 } else { x as i64 };
                let x = if x < 0 { len + x } else { x };
                x.clamp(0, len) as usize
            };
            let start = clamp(gn(v, 1, f));
            let end = if v.len() > 2 {
                clamp(gn(v, 2, f))
            } else {
                s.len()
            };
            Value::String(if start < end {
                s[start..end].iter().collect()
            } else {
                String::new()
            })
        }
        "substring" => Value::String(substring(
            &gs(v, 0, f),
            gn(v, 1, f),
            v.get(2).map(|x| x.to_number(f)),
        )),
        "substring-before" => {
            let s = gs(v, 0, f);
            let t = gs(v, 1, f);
            Value::String(s.find(&t).map(|i| s[..i].to_string()).unwrap_or_default())
        }
        "substring-after" => {
            let s = gs(v, 0, f);
            let t = gs(v, 1, f);
            Value::String(
                s.find(&t)
                    .map(|i| s[i + t.len()..].to_string())
                    .unwrap_or_default(),
            )
        }
        "string-length" => {
            let s = if v.is_empty() { own() } else { gs(v, 0, f) };
            Value::Number(s.chars().count() as f64)
        }
        "normalize-space" => {
            let s = if v.is_empty() { own() } else { gs(v, 0, f) };
            Value::String(s.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        "contains" => Value::Bool(gs(v, 0, f).contains(&gs(v, 1, f))),
        "starts-with" => Value::Bool(gs(v, 0, f).starts_with(&gs(v, 1, f))),
        "ends-with" => Value::Bool(gs(v, 0, f).ends_with(&gs(v, 1, f))),
        "translate" => {
            let from: Vec<char> = gs(v, 1, f).chars().collect();
            let to: Vec<char> = gs(v, 2, f).chars().collect();
            let out = gs(v, 0, f)
                .chars()
                .filter_map(|ch| match from.iter().position(|&x| x == ch) {
                    Some(i) => to.get(i).copied(),
                    None => Some(ch),
                })
                .collect();
            Value::String(out)
        }
        "regex" => {
            let pattern = gs(v, 1, f);
            let re = regex_lite::Regex::new(&pattern)
                .map_err(|err| XPathError::Eval(format!("invalid regular expression: {err}")))?;
            Value::Bool(re.is_match(&gs(v, 0, f)))
        }
        "base64-decode" => {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(gs(v, 0, f).trim())
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default();
            Value::String(decoded)
        }
        _ => g(v, 0).clone(),
    })
}

/// XPath 1.0 `substring` with its rounding and NaN rules (1-based positions).
fn substring(s: &str, start: f64, len: Option<f64>) -> String {
    let first = round_half_up(start);
    let last = match len {
        Some(l) => first + round_half_up(l),
        None => f64::INFINITY,
    };
    s.chars()
        .enumerate()
        .filter(|(i, _)| {
            let p = (*i + 1) as f64;
            p >= first && p < last
        })
        .map(|(_, ch)| ch)
        .collect()
}

/// XPath `round`: halves go towards positive infinity.
pub(super) fn round_half_up(x: f64) -> f64 {
    if x.is_nan() || x.is_infinite() {
        x
    } else {
        (x + 0.5).floor()
    }
}

#[cfg(test)]
mod tests {
    use super::substring;

    #[test]
    fn xpath_substring_rules() {
        assert_eq!(substring("12345", 2.0, Some(3.0)), "234");
        assert_eq!(substring("12345", 1.5, Some(2.6)), "234");
        assert_eq!(substring("12345", 0.0, Some(3.0)), "12");
        assert_eq!(substring("12345", f64::NAN, Some(3.0)), "");
        assert_eq!(substring("12345", -42.0, Some(f64::INFINITY)), "12345");
        assert_eq!(substring("12345", 2.0, None), "2345");
    }
}
