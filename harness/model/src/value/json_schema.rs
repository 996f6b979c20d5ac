//! The JSON Schema of the tagged encoding (`fixtures/schema/*.schema.json`'s `Value`): plain
//! JSON, or exactly one of the tags `json` reads, each with the shape of its content. Kept
//! apart from the encoding itself, which it describes and does not use.

use super::Value;
use super::json::TAGS;
use super::stdlib::STD_TAGS;

impl schemars::JsonSchema for Value {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Value".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let tagged = |tag: &str, value: serde_json::Value| {
            serde_json::json!({
                "type": "object",
                "properties": { tag: value },
                "required": [tag],
                "additionalProperties": false
            })
        };
        let any = serde_json::json!({ "$ref": "#/$defs/Value" });
        let list = serde_json::json!({ "type": "array", "items": any });
        schemars::json_schema!({
            "description": "A canonical value in the tagged JSON encoding (fixtures/README.md).",
            "anyOf": [
                { "type": ["null", "boolean", "number", "string"] },
                list,
                tagged("$int", serde_json::json!({ "type": "string", "pattern": "^-?[0-9]+$" })),
                tagged("$float", serde_json::json!({ "type": "string" })),
                tagged("$bytes", serde_json::json!({ "type": "string", "pattern": "^([0-9a-fA-F]{2})*$" })),
                tagged("$tuple", list.clone()),
                tagged("$set", list.clone()),
                tagged("$frozenset", list.clone()),
                tagged("$dict", serde_json::json!({
                    "type": "array",
                    "items": { "type": "array", "prefixItems": [any, any], "minItems": 2, "maxItems": 2 }
                })),
                tagged("$object", serde_json::json!({
                    "type": "object",
                    "properties": {
                        "class": { "type": "string" },
                        "state": { "type": "object", "additionalProperties": any }
                    },
                    "required": ["class"],
                    "additionalProperties": false
                })),
                tagged("$obj", serde_json::json!({ "type": "string", "minLength": 1 })),
                tagged("$callback", serde_json::json!({ "type": "string", "minLength": 1 })),
                tagged("$plain", serde_json::json!({})),
                tagged("$utf16", serde_json::json!({ "type": "string", "pattern": "^([0-9a-fA-F]{4})*$" })),
                tagged("$datetime", serde_json::json!({
                    "type": "string",
                    "description": "ISO 8601 as isoformat() writes it: 2024-02-29T12:30:00.000001+05:30, \" fold=1\" appended where set",
                    "pattern": "^[+-]?[0-9]{4,9}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}"
                })),
                tagged("$date", serde_json::json!({ "type": "string", "pattern": "^[+-]?[0-9]{4,9}-[0-9]{2}-[0-9]{2}$" })),
                tagged("$time", serde_json::json!({ "type": "string", "pattern": "^[0-9]{2}:[0-9]{2}" })),
                tagged("$timedelta", serde_json::json!({
                    "type": "string",
                    "description": "seconds, with up to six decimals",
                    "pattern": "^-?[0-9]+(\\.[0-9]{1,6})?$"
                })),
                tagged("$timezone", serde_json::json!({ "type": "string", "pattern": "^(UTC|Z|[+-][0-9]{2}:[0-9]{2}.*)$" })),
                tagged("$decimal", serde_json::json!({ "type": "string", "description": "Decimal(text): exact, the exponent kept" })),
                tagged("$uuid", serde_json::json!({ "type": "string", "pattern": "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$" })),
                tagged("$path", serde_json::json!({ "type": "string" })),
                tagged("$complex", serde_json::json!({ "type": "array", "items": any, "minItems": 2, "maxItems": 2 })),
                {
                    "type": "object",
                    "not": {
                        "anyOf": TAGS.iter().chain(STD_TAGS.iter()).map(|tag| serde_json::json!({ "required": [tag], "maxProperties": 1 })).collect::<Vec<_>>()
                    },
                    "additionalProperties": any
                }
            ]
        })
    }
}
