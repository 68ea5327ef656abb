//! The jCal tree: a JSON-shaped value that serialises through serde to exactly the JSON of
//! `ICAL.parse`, and deserialises from any serde source (a JS value through the wasm boundary,
//! `serde_json` in tests). No JSON library is needed at run time.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Largest integer a JS number holds exactly (2^53).
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// One JSON value of a jCal document. Objects keep their key order (the order ical.js inserts
/// keys in), so the JSON text matches, not only its meaning.
#[derive(Debug, Clone, PartialEq)]
pub enum JcalValue {
    /// `null` (a float ical.js reads as Infinity or NaN becomes `null` in JSON).
    Null,
    /// `true` / `false` (BOOLEAN values).
    Bool(bool),
    /// A JS number. Integral values serialise as JSON integers, like `JSON.stringify` does.
    Number(f64),
    /// A string.
    String(String),
    /// An array (components, properties, multi-valued and structured values, periods).
    Array(Vec<JcalValue>),
    /// An object (parameters, RECUR values), in insertion order.
    Object(Vec<(String, JcalValue)>),
}

impl JcalValue {
    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            JcalValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, when this is an array.
    pub fn as_array(&self) -> Option<&[JcalValue]> {
        match self {
            JcalValue::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The entries in order, when this is an object.
    pub fn as_object(&self) -> Option<&[(String, JcalValue)]> {
        match self {
            JcalValue::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The JSON type name, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            JcalValue::Null => "null",
            JcalValue::Bool(_) => "a boolean",
            JcalValue::Number(_) => "a number",
            JcalValue::String(_) => "a string",
            JcalValue::Array(_) => "an array",
            JcalValue::Object(_) => "an object",
        }
    }

    /// A string value.
    pub fn string(s: impl Into<String>) -> JcalValue {
        JcalValue::String(s.into())
    }
}

/// Sets `key` in an ordered object like a JS assignment: an existing key keeps its position.
pub(crate) fn object_set(object: &mut Vec<(String, JcalValue)>, key: &str, value: JcalValue) {
    match object.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value,
        None => object.push((key.to_string(), value)),
    }
}

impl Serialize for JcalValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            JcalValue::Null => serializer.serialize_unit(),
            JcalValue::Bool(b) => serializer.serialize_bool(*b),
            JcalValue::Number(n) => serialize_number(*n, serializer),
            JcalValue::String(s) => serializer.serialize_str(s),
            JcalValue::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            JcalValue::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Like `JSON.stringify`: non-finite numbers become `null`, integral ones integers (`-0` is `0`).
fn serialize_number<S: Serializer>(n: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if !n.is_finite() {
        return serializer.serialize_unit();
    }
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER {
        // Exact: |n| <= 2^53 fits i64 without rounding.
        #[allow(clippy::cast_possible_truncation)]
        let i = n as i64;
        if i >= 0 {
            return serializer.serialize_u64(i.unsigned_abs());
        }
        return serializer.serialize_i64(i);
    }
    serializer.serialize_f64(n)
}

/// How deep arrays and objects may nest when a jCal value is read with plain [`Deserialize`].
pub const DEFAULT_JCAL_NESTING: usize = 256;

impl<'de> Deserialize<'de> for JcalValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<JcalValue, D::Error> {
        let exceeded = Cell::new(false);
        BoundedJcal::new(DEFAULT_JCAL_NESTING, &exceeded).deserialize(deserializer)
    }
}

/// Reads a jCal value whose arrays and objects nest at most `levels` deep. A JS value can nest
/// without end or be cyclic, and reading one recursively without a bound overflows the stack
/// (in wasm that traps and leaves the instance unusable); past the bound the read fails and
/// `exceeded` is set, so the caller can say `TOO_LARGE` rather than a shape error.
#[derive(Clone, Copy)]
pub struct BoundedJcal<'a> {
    levels: usize,
    exceeded: &'a Cell<bool>,
}

impl<'a> BoundedJcal<'a> {
    /// A reader allowing `levels` levels of arrays and objects.
    pub fn new(levels: usize, exceeded: &'a Cell<bool>) -> BoundedJcal<'a> {
        BoundedJcal { levels, exceeded }
    }

    /// The reader for the values inside an array or object, or an error past the bound.
    fn inner<E: de::Error>(&self) -> Result<BoundedJcal<'a>, E> {
        match self.levels.checked_sub(1) {
            Some(levels) => Ok(BoundedJcal::new(levels, self.exceeded)),
            None => {
                self.exceeded.set(true);
                Err(E::custom("jCal arrays and objects nested too deep"))
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for BoundedJcal<'_> {
    type Value = JcalValue;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<JcalValue, D::Error> {
        deserializer.deserialize_any(JcalVisitor(self))
    }
}

struct JcalVisitor<'a>(BoundedJcal<'a>);

impl<'de> Visitor<'de> for JcalVisitor<'_> {
    type Value = JcalValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value (jCal)")
    }

    fn visit_unit<E: de::Error>(self) -> Result<JcalValue, E> {
        Ok(JcalValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<JcalValue, E> {
        Ok(JcalValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<JcalValue, D::Error> {
        self.0.deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<JcalValue, E> {
        Ok(JcalValue::Bool(v))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<JcalValue, E> {
        Ok(JcalValue::Number(v as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<JcalValue, E> {
        Ok(JcalValue::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<JcalValue, E> {
        Ok(JcalValue::Number(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<JcalValue, E> {
        Ok(JcalValue::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<JcalValue, E> {
        Ok(JcalValue::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JcalValue, A::Error> {
        let inner = self.0.inner()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element_seed(inner)? {
            items.push(item);
        }
        Ok(JcalValue::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JcalValue, A::Error> {
        let inner = self.0.inner()?;
        let mut entries: Vec<(String, JcalValue)> = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(inner)?;
            object_set(&mut entries, &k, v);
        }
        Ok(JcalValue::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::test_support::TestResult;

    #[test]
    fn nesting_is_bounded_for_arrays_and_objects_alike() -> TestResult {
        let read = |json: &str, levels: usize| {
            let exceeded = Cell::new(false);
            let mut de = serde_json::Deserializer::from_str(json);
            let value = BoundedJcal::new(levels, &exceeded).deserialize(&mut de);
            (value.is_ok(), exceeded.get())
        };
        assert_eq!(read("[[[1]]]", 3), (true, false));
        assert_eq!(read("[[[[1]]]]", 3), (false, true));
        assert_eq!(read(r#"{"a":{"b":{"c":1}}}"#, 3), (true, false));
        assert_eq!(read(r#"{"a":{"b":{"c":{}}}}"#, 3), (false, true));
        assert_eq!(read(r#"[{"a":[{}]}]"#, 4), (true, false));
        assert_eq!(read(r#"[{"a":[{"b":[]}]}]"#, 4), (false, true));
        // Scalars need no level; a shape error is not a depth error.
        assert_eq!(read("7", 0), (true, false));
        let plain: JcalValue = serde_json::from_str(r#"["vcalendar", [], []]"#)?;
        assert_eq!(plain.as_array().map(<[JcalValue]>::len), Some(3));
        Ok(())
    }

    #[test]
    fn numbers_serialise_like_json_stringify() -> TestResult {
        let v = JcalValue::Array(vec![
            JcalValue::Number(1.0),
            JcalValue::Number(-0.0),
            JcalValue::Number(-3.0),
            JcalValue::Number(37.5),
            JcalValue::Number(f64::INFINITY),
        ]);
        assert_eq!(serde_json::to_string(&v)?, "[1,0,-3,37.5,null]");
        Ok(())
    }

    #[test]
    fn objects_keep_order_and_round_trip() -> TestResult {
        let text = r#"["vcalendar",[["x",{"b":"1","a":["2","3"]},"unknown","v"]],[]]"#;
        let v: JcalValue = serde_json::from_str(text)?;
        assert_eq!(serde_json::to_string(&v)?, text);
        let mut o = vec![("a".to_string(), JcalValue::Null)];
        object_set(&mut o, "b", JcalValue::Bool(true));
        object_set(&mut o, "a", JcalValue::Bool(false));
        assert_eq!(
            o,
            vec![
                ("a".to_string(), JcalValue::Bool(false)),
                ("b".to_string(), JcalValue::Bool(true))
            ]
        );
        Ok(())
    }
}
