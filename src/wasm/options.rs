//! Reading an options object into its core struct: only the keys the object has.
//!
//! serde-wasm-bindgen reads a struct by asking the object for every field the struct declares
//! (a property read, an `undefined` check and an `in` test each), and caches the field names in
//! a thread-local map. An `attendeeReply` call gives 4 of its 12 options, so most of that work is
//! for absent fields (a 7-line reply took 6.8 µs that way, 6.2 µs this way). Here the object's
//! own enumerable keys are listed once (`Object.keys`), and only the declared ones are read;
//! their values are still converted by serde-wasm-bindgen, so types are unchanged; a value of the
//! wrong shape is reported with the option's name in front of serde's message. A key whose value
//! is `undefined` counts as absent (in JS `{ scope: undefined }` means "not given").

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde_wasm_bindgen::{Deserializer as JsDeserializer, Error};
use wasm_bindgen::JsValue;

/// Reads `T` from the own enumerable keys of `options` that `T` declares, with `replaced`
/// fields taking the given values instead (whether or not the object has them: calendar data
/// and headers are converted separately and handed in here).
pub fn read_options<T: DeserializeOwned>(
    options: &js_sys::Object,
    replaced: Vec<(&'static str, JsValue)>,
) -> Result<T, Error> {
    T::deserialize(OptionsObject {
        object: options.clone(),
        replaced,
    })
}

/// A JS object read as a struct through its present keys.
struct OptionsObject {
    object: js_sys::Object,
    replaced: Vec<(&'static str, JsValue)>,
}

impl<'de> de::Deserializer<'de> for OptionsObject {
    type Error = Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let keys = js_sys::Object::keys(&self.object);
        visitor.visit_map(PresentFields {
            len: keys.length(),
            keys,
            next_key: 0,
            object: self.object,
            fields,
            replaced: self.replaced,
            next_replaced: 0,
            value: None,
            field: "",
        })
    }

    /// Anything but a struct is read by serde-wasm-bindgen as usual.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        JsDeserializer::from(JsValue::from(self.object)).deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

/// The fields of one options object: first the replaced ones, then each present key the
/// struct declares.
struct PresentFields {
    object: js_sys::Object,
    keys: js_sys::Array,
    len: u32,
    next_key: u32,
    fields: &'static [&'static str],
    replaced: Vec<(&'static str, JsValue)>,
    next_replaced: usize,
    value: Option<JsValue>,
    /// The field whose value is read next (named in a wrong-shape error).
    field: &'static str,
}

impl PresentFields {
    /// The `typeof` of a field's value, for an error message only: read again here so that a
    /// value read without error costs no extra call into JS.
    fn kind_of(&self, field: &str) -> JsValue {
        let replaced = self
            .replaced
            .iter()
            .find(|(n, _)| *n == field)
            .map(|(_, v)| v.clone());
        replaced
            .unwrap_or_else(|| {
                js_sys::Reflect::get(&self.object, &JsValue::from_str(field))
                    .unwrap_or(JsValue::UNDEFINED)
            })
            .js_typeof()
    }
}

impl<'de> MapAccess<'de> for PresentFields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if let Some((name, value)) = self.replaced.get(self.next_replaced) {
            self.next_replaced += 1;
            self.value = Some(value.clone());
            self.field = name;
            return seed.deserialize(name.into_deserializer()).map(Some);
        }
        while self.next_key < self.len {
            let key = self.keys.get(self.next_key);
            self.next_key += 1;
            // Object.keys lists strings only: no type check before reading one.
            let Some(name) = key.as_string() else {
                continue;
            };
            let Some(field) = self.fields.iter().find(|f| **f == name) else {
                continue;
            };
            if self.replaced.iter().any(|(n, _)| n == field) {
                continue;
            }
            let value = js_sys::Reflect::get(&self.object, &key).unwrap_or(JsValue::UNDEFINED);
            if value.is_undefined() {
                continue;
            }
            self.value = Some(value);
            self.field = field;
            return seed.deserialize(field.into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let value = self.value.take().unwrap_or(JsValue::UNDEFINED);
        seed.deserialize(JsDeserializer::from(value))
            .map_err(|e| named(self.field, &self.kind_of(self.field), &e))
    }
}

/// A wrong-shape error that names the option (`` `scheduleReply`: invalid type: string "F",
/// expected a boolean ``), unless the message already does. serde-wasm-bindgen reports a
/// primitive where a list or a map belongs as the JS `TypeError` of its iterator lookup: that
/// one is said in the same words as the other shape errors, with the value's `typeof`.
fn named(field: &str, kind: &JsValue, error: &Error) -> Error {
    let text = error.to_string();
    let text = text.trim_start_matches("Error: ");
    let primitive;
    let text = if text.contains("called on non-object") {
        let kind = kind.as_string().unwrap_or_default();
        primitive = format!("invalid type: {kind}, expected an array or an object");
        primitive.as_str()
    } else {
        text
    };
    if text.starts_with(&format!("`{field}`")) {
        return <Error as de::Error>::custom(text);
    }
    <Error as de::Error>::custom(format!("`{field}`: {text}"))
}
