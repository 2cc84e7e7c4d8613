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
        "area" => area(&pts),
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

/// Area of a closed polygon on the sphere (the spherical-excess method used by
/// Google's SphericalUtil.computeArea, which ODK follows).
pub(crate) fn area(pts: &[(f64, f64)]) -> f64 {
    if pts.len() < 3 {
        return 0.0;
    }
    let mut total = 0.0;
    let (mut prev_tan_lat, mut prev_lng) = {
        let last = pts[pts.len() - 1];
        (
            ((std::f64::consts::FRAC_PI_2 - last.0.to_radians()) / 2.0).tan(),
            last.1.to_radians(),
        )
    };
    for &(lat, lng) in pts {
        let tan_lat = ((std::f64::consts::FRAC_PI_2 - lat.to_radians()) / 2.0).tan();
        let lng = lng.to_radians();
        let d = lng - prev_lng;
        let t = tan_lat * prev_tan_lat;
        total += (t * d.sin()).atan2(1.0 + t * d.cos()) * 2.0;
        prev_tan_lat = tan_lat;
        prev_lng = lng;
    }
    (total * EARTH_RADIUS_M * EARTH_RADIUS_M).abs()
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
}
