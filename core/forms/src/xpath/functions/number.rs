//! Numeric functions: XPath 1.0's `floor`, `ceiling`, `round`, and ODK's `int`, `pow`,
//! `abs`, `min`, `max`, logarithms and trigonometry.

use super::string::round_half_up;
use super::{flatten, gn};
use crate::instance::Forest;
use crate::xpath::value::{string_to_number, Value};
use crate::xpath::XPathError;

pub(super) fn call(name: &str, v: &[Value], f: &Forest) -> Result<Value, XPathError> {
    let x = || gn(v, 0, f);
    let n = match name {
        "floor" => x().floor(),
        "ceiling" => x().ceil(),
        "round" => {
            if v.len() > 1 {
                round_digits(x(), gn(v, 1, f))
            } else {
                round_half_up(x())
            }
        }
        "int" => {
            let n = x();
            if n.is_nan() {
                n
            } else {
                n.trunc()
            }
        }
        "abs" => x().abs(),
        "pow" => x().powf(gn(v, 1, f)),
        "min" | "max" => {
            let nums: Vec<f64> = flatten(v, f).iter().map(|s| string_to_number(s)).collect();
            if nums.is_empty() || nums.iter().any(|n| n.is_nan()) {
                f64::NAN
            } else if name == "min" {
                nums.iter().copied().fold(f64::INFINITY, f64::min)
            } else {
                nums.iter().copied().fold(f64::NEG_INFINITY, f64::max)
            }
        }
        "exp" => x().exp(),
        "exp10" => 10f64.powf(x()),
        "log" => x().ln(),
        "log10" => x().log10(),
        "sqrt" => x().sqrt(),
        "sin" => x().sin(),
        "cos" => x().cos(),
        "tan" => x().tan(),
        "asin" => x().asin(),
        "acos" => x().acos(),
        "atan" => x().atan(),
        "atan2" => x().atan2(gn(v, 1, f)),
        "pi" => std::f64::consts::PI,
        other => {
            return Err(XPathError::Eval(format!(
                "function '{other}' is not implemented"
            )))
        }
    };
    Ok(Value::Number(n))
}

/// ODK's two-argument `round`: half away from zero at `digits` decimals.
fn round_digits(x: f64, digits: f64) -> f64 {
    if x.is_nan() || digits.is_nan() {
        return f64::NAN;
    }
    let d = digits.trunc().clamp(-300.0, 300.0) as i32;
    let m = 10f64.powi(d);
    let scaled = x * m;
    // Guard against binary representation just below .5 (2.675 * 100 = 267.49999...).
    let nudged = scaled + scaled.signum() * 1e-9 * scaled.abs().max(1.0);
    nudged.round() / m
}

#[cfg(test)]
mod tests {
    use super::round_digits;

    #[test]
    fn round_with_digits() {
        assert_eq!(round_digits(2.675, 2.0), 2.68);
        assert_eq!(round_digits(-1.5, 0.0), -2.0);
        assert_eq!(round_digits(1234.0, -2.0), 1200.0);
    }
}
