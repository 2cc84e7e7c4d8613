//! GeoJSON form attachments (`jr://file/NAME.geojson`, `select_one_from_map`) as
//! secondary instances, as JavaRosa reads them: a `FeatureCollection` whose every
//! feature becomes `/root/item` with a `geometry` child in ODK's notation
//! (`lat lon 0 0`, points separated by `; `), one child per property, and `id` (the
//! feature's own id replaces a property of that name). Points, LineStrings and the outer
//! ring of Polygons are supported, as in JavaRosa; anything else is a typed error.

use serde_json::Value;

use crate::instance::Document;

/// Why a GeoJSON attachment could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GeoJsonError {
    /// Not JSON at all.
    #[error("not JSON: {0}")]
    Json(String),
    /// The top level is not a `FeatureCollection` with a `features` array.
    #[error("the top level must be a FeatureCollection with a features array")]
    NotFeatureCollection,
    /// A member of `features` is not a `Feature` object.
    #[error("feature {index} is not a Feature")]
    NotFeature {
        /// 0-based index in `features`.
        index: usize,
    },
    /// A geometry type other than Point, LineString or Polygon, or bad coordinates.
    #[error("feature {index}: unsupported or malformed geometry")]
    Geometry {
        /// 0-based index in `features`.
        index: usize,
    },
}

/// A GeoJSON file as a secondary instance document.
pub fn to_document(bytes: &[u8]) -> Result<Document, GeoJsonError> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| GeoJsonError::Json(e.to_string()))?;
    let obj = v.as_object().ok_or(GeoJsonError::NotFeatureCollection)?;
    if obj.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(GeoJsonError::NotFeatureCollection);
    }
    let features = obj
        .get("features")
        .and_then(Value::as_array)
        .ok_or(GeoJsonError::NotFeatureCollection)?;
    let mut doc = Document::new();
    let root = doc.add_element(doc.root(), "root");
    for (index, f) in features.iter().enumerate() {
        let f = f
            .as_object()
            .filter(|f| f.get("type").and_then(Value::as_str) == Some("Feature"))
            .ok_or(GeoJsonError::NotFeature { index })?;
        let item = doc.add_element(root, "item");
        if let Some(g) = f.get("geometry").filter(|g| !g.is_null()) {
            let coords = odk_coordinates(g).ok_or(GeoJsonError::Geometry { index })?;
            let el = doc.add_element(item, "geometry");
            doc.set_value(el, &coords);
        }
        if let Some(props) = f.get("properties").and_then(Value::as_object) {
            for (k, v) in props {
                let el = doc.add_element(item, k);
                doc.set_value(el, &scalar(v));
            }
        }
        if let Some(id) = f.get("id").filter(|v| !v.is_null()) {
            let id = scalar(id);
            let el = match doc.child(item, "id") {
                Some(el) => el,
                None => doc.add_element(item, "id"),
            };
            doc.set_value(el, &id);
        }
    }
    Ok(doc)
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn point(p: &Value) -> Option<String> {
    let p = p.as_array()?;
    let (lon, lat) = (p.first()?, p.get(1)?);
    if !lon.is_number() || !lat.is_number() {
        return None;
    }
    Some(format!("{lat} {lon} 0 0"))
}

fn points(list: &Value) -> Option<String> {
    let pts: Option<Vec<String>> = list.as_array()?.iter().map(point).collect();
    Some(pts?.join("; "))
}

fn odk_coordinates(g: &Value) -> Option<String> {
    let coords = g.get("coordinates")?;
    match g.get("type")?.as_str()? {
        "Point" => point(coords),
        "LineString" => points(coords),
        "Polygon" => match coords.as_array()?.first() {
            Some(ring) => points(ring),
            None => Some(String::new()),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FC: &str = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","id":"fid","geometry":{"type":"Point","coordinates":[106.8,-6.2]},
         "properties":{"id":"prop","name":"Jakarta","pop":10.5,"note":null}},
        {"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},
         "properties":{}}]}"#;

    #[test]
    fn features_become_items() {
        let doc = to_document(FC.as_bytes()).unwrap();
        let root = doc.root_element().unwrap();
        let items = doc.children_named(root, "item");
        assert_eq!(items.len(), 2);
        let v = |item, name| doc.value(doc.child(item, name).unwrap()).to_string();
        assert_eq!(v(items[0], "geometry"), "-6.2 106.8 0 0");
        assert_eq!(v(items[0], "id"), "fid");
        assert_eq!(v(items[0], "pop"), "10.5");
        assert_eq!(v(items[0], "note"), "");
        assert_eq!(v(items[1], "geometry"), "2 1 0 0; 4 3 0 0");
    }

    #[test]
    fn bad_shapes_are_typed_errors() {
        assert_eq!(
            to_document(b"[]").err(),
            Some(GeoJsonError::NotFeatureCollection)
        );
        assert_eq!(
            to_document(br#"{"type":"FeatureCollection","features":[{"type":"Point"}]}"#).err(),
            Some(GeoJsonError::NotFeature { index: 0 })
        );
        let multi = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "geometry":{"type":"MultiPoint","coordinates":[]}}]}"#;
        assert_eq!(
            to_document(multi.as_bytes()).err(),
            Some(GeoJsonError::Geometry { index: 0 })
        );
        assert!(matches!(to_document(b"{"), Err(GeoJsonError::Json(_))));
    }
}
