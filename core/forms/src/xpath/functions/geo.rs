//! Geographic functions: `area` of a geoshape and `distance` along a geotrace, in
//! metres on a sphere of radius 6,378,100 m (the figure ODK uses).

use super::flatten;
use crate::instance::Forest;
use crate::xpath::value::Value;
use crate::xpath::XPathError;

const EARTH_RADIUS_M: f64 = 6_378_100.0;

/// Parse `lat lon [alt acc]; lat lon ...` into (lat, lon) pairs in degrees.
pub(crate) fn parse_points(s: &str) -> Option<Vec<(f64, f64)>> {
    let mut pts = Vec::new();
    for part in s.split(';') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let mut nums = part.split_whitespace().map(|x| x.parse::<f64>().ok());
        let lat = nums.next()??;
        let lon = nums.next()??;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return None;
        }
        pts.push((lat, lon));
    }
    Some(pts)
}

fn points(v: &[Value], f: &Forest) -> Option<Vec<(f64, f64)>> {
    let mut all = Vec::new();
    for s in flatten(v, f) {
        all.extend(parse_points(&s)?);
    }
    Some(all)
}

pub(super) fn call(name: &str, v: &[Value], f: &Forest) -> Result<Value, XPathError> {
    let Some(pts) = points(v, f) else {
        return Ok(Value::Number(f64::NAN));
    };
    Ok(Value::Number(match name {
        // JavaRosa's `enclosed-area` is the same function under its older name.
        "area" | "enclosed-area" => area(&pts),
        _ => distance(&pts),
    }))
}

/// Sum of great-circle (haversine) distances between consecutive points.
pub(crate) fn distance(pts: &[(f64, f64)]) -> f64 {
    pts.windows(2)
        .map(|w| {
            let (la1, lo1) = (w[0].0.to_radians(), w[0].1.to_radians());
            let (la2, lo2) = (w[1].0.to_radians(), w[1].1.to_radians());
            let h = ((la2 - la1) / 2.0).sin().powi(2)
                + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
            2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
        })
        .sum()
}

/// Area of a polygon as JavaRosa computes it (`GeoUtils`, from SurveyCTO): each point
/// projected onto a plane at the first point (x scaled by the cosine of its latitude),
/// then the shoelace formula over the triangle fan. ODK Web Forms uses a different
/// spherical formula and rounds to centimetres; Collect (JavaRosa) is what field staff
/// use, so its figure is the reference (ADR 0003).
pub(crate) fn area(pts: &[(f64, f64)]) -> f64 {
    if pts.len() < 3 {
        return 0.0;
    }
    let circumference = 2.0 * EARTH_RADIUS_M * std::f64::consts::PI;
    let (lat0, lon0) = pts[0];
    let xy: Vec<(f64, f64)> = pts[1..]
        .iter()
        .map(|&(lat, lon)| {
            let y = (lat - lat0) * circumference / 360.0;
            let x = (lon - lon0) * circumference * lat.to_radians().cos() / 360.0;
            (x, y)
        })
        .collect();
    let sum: f64 = xy
        .windows(2)
        .map(|w| (w[0].1 * w[1].0 - w[0].0 * w[1].1) / 2.0)
        .sum();
    sum.abs()
}

/// `geofence(point, shape)`: whether the point lies inside the closed shape (even-odd
/// rule over the shape's edges, as JavaRosa's `GeoUtils`). A shape that is not closed
/// or has fewer than two points, or a bad point, is `false`.
pub(super) fn geofence(v: &[Value], f: &Forest) -> Value {
    let point = super::gs(v, 0, f);
    let shape = super::gs(v, 1, f);
    let (Some(p), Some(poly)) = (parse_points(&point), parse_points(&shape)) else {
        return Value::Bool(false);
    };
    let (Some(&(py, px)), true) = (p.first(), p.len() == 1) else {
        return Value::Bool(false);
    };
    if poly.len() < 2 || poly.first() != poly.last() {
        return Value::Bool(false);
    }
    let mut inside = false;
    for w in poly.windows(2) {
        let ((y1, x1), (y2, x2)) = (w[0], w[1]);
        if (y2 > py) != (y1 > py) && px < (x1 - x2) * (py - y2) / (y1 - y2) + x2 {
            inside = !inside;
        }
    }
    Value::Bool(inside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_and_area() {
        // One degree of latitude is about 111.3 km on this sphere.
        let d = distance(&[(0.0, 0.0), (1.0, 0.0)]);
        assert!((d - 111_317.0).abs() < 50.0, "{d}");
        // A small square near the equator, 0.001 degree on a side (~111 m).
        let sq = [
            (0.0, 0.0),
            (0.0, 0.001),
            (0.001, 0.001),
            (0.001, 0.0),
            (0.0, 0.0),
        ];
        let a = area(&sq);
        assert!((a - 12_392.0).abs() < 50.0, "{a}");
        assert_eq!(parse_points("1 2 3 4; 5 6").map(|p| p.len()), Some(2));
        assert_eq!(parse_points("91 0"), None);
    }

    #[test]
    fn geofence_even_odd() {
        let f = Forest::new(crate::instance::Document::new());
        let shape = "0 0 0 0; 0 1 0 0; 1 1 0 0; 1 0 0 0; 0 0 0 0";
        let s = |x: &str| Value::String(x.to_string());
        let inside = geofence(&[s("0.5 0.5 0 0"), s(shape)], &f);
        let outside = geofence(&[s("1.5 0.5"), s(shape)], &f);
        let open = geofence(&[s("0.5 0.5"), s("0 0; 0 1; 1 1")], &f);
        let bad = geofence(&[s("x"), s(shape)], &f);
        assert_eq!(
            [inside, outside, open, bad].map(|v| v.to_bool()),
            [true, false, false, false]
        );
    }
}
