//! The Rust adapter of the `uuid` crate 1.28.0, checked against the `uuid-utils` 1.2.0 wheel
//! (import `uuid_utils`), which is built from it.
//!
//! Only the crate's public API is used: `Uuid::try_parse`, `from_slice`, `from_slice_le`,
//! `from_u128`, `from_fields`, `Builder::with_version`, the `new_v3`/`new_v5`/`new_v4`/`now_v7`
//! generators, the `NAMESPACE_*` constants, and the accessors. Where Python's API is shaped
//! otherwise (one constructor with five mutually exclusive keyword arguments, a `variant`
//! string, a `version` that is `None` outside RFC 4122), the adapter says what Python's `uuid`
//! module documents, and no more. Random generators are compared only through properties that
//! do not depend on the randomness (their version and variant), so the class projects no state.

use pyo3_conformance::{Adapter, Args, Bytes, Obj, RustError, Tuple};
use uuid::{Uuid, Variant, Version};

type Fields = (u32, u16, u16, u8, u8, u64);

/// The adapter, with every operation of `fixtures/uuid/manifest.json`.
pub fn adapter() -> Adapter {
    Adapter::new("uuid")
        .cargo_test("uuid-conformance", "scenarios")
        .try_object_function("uuid3", |(namespace, name): (Obj<Uuid>, String)| {
            Ok::<_, RustError>(Uuid::new_v3(&namespace, name.as_bytes()))
        })
        .try_object_function("uuid5", |(namespace, name): (Obj<Uuid>, String)| {
            Ok::<_, RustError>(Uuid::new_v5(&namespace, name.as_bytes()))
        })
        .object_function("uuid4", |()| Uuid::new_v4())
        .object_function("uuid7", |(_nanoseconds,): (Option<u64>,)| Uuid::now_v7())
        .object_attribute("NAMESPACE_DNS", || Uuid::NAMESPACE_DNS)
        .object_attribute("NAMESPACE_URL", || Uuid::NAMESPACE_URL)
        .object_attribute("NAMESPACE_OID", || Uuid::NAMESPACE_OID)
        .object_attribute("NAMESPACE_X500", || Uuid::NAMESPACE_X500)
        .object_attribute("NIL", Uuid::nil)
        .object_attribute("MAX", Uuid::max)
        .attribute("RESERVED_NCS", || variant_name(Variant::NCS))
        .attribute("RFC_4122", || variant_name(Variant::RFC4122))
        .attribute("RESERVED_MICROSOFT", || variant_name(Variant::Microsoft))
        .attribute("RESERVED_FUTURE", || variant_name(Variant::Future))
        .try_object_function("UUID.from_hex", |(hex,): (String,)| {
            Uuid::try_parse(&hex).map_err(uuid_error)
        })
        .object_function("UUID.from_int", |(int,): (u128,)| Uuid::from_u128(int))
        .try_object_function("UUID.from_bytes", |(bytes,): (Bytes,)| {
            Uuid::from_slice(&bytes.0).map_err(uuid_error)
        })
        .try_object_function("UUID.from_bytes_le", |(bytes,): (Bytes,)| {
            Uuid::from_slice_le(&bytes.0).map_err(uuid_error)
        })
        .class::<Uuid>("UUID", |class| {
            class
                .try_constructor(construct)
                .try_object_method("set_version", |u, (version,): (u8,)| {
                    with_version(*u, version)
                })
                .method("__str__", |u, ()| u.hyphenated().to_string())
                .method("__int__", |u, ()| u.as_u128())
                .method("__eq__", |u, (other,): (Obj<Uuid>,)| *u == *other)
                .method("__lt__", |u, (other,): (Obj<Uuid>,)| *u < *other)
                .method("__le__", |u, (other,): (Obj<Uuid>,)| *u <= *other)
                .method("__gt__", |u, (other,): (Obj<Uuid>,)| *u > *other)
                .method("__ge__", |u, (other,): (Obj<Uuid>,)| *u >= *other)
                .property("hex", |u| u.simple().to_string())
                .property("int", |u| u.as_u128())
                .property("bytes", |u| Bytes(u.as_bytes().to_vec()))
                .property("bytes_le", |u| Bytes(u.to_bytes_le().to_vec()))
                .property("urn", |u| u.urn().to_string())
                .property("variant", |u| variant_name(u.get_variant()))
                .property("version", |u| {
                    (u.get_variant() == Variant::RFC4122).then(|| u.get_version_num())
                })
                .property("fields", |u| Tuple(fields(u)))
                .property("time_low", |u| fields(u).0)
                .property("time_mid", |u| fields(u).1)
                .property("time_hi_version", |u| fields(u).2)
                .property("clock_seq_hi_variant", |u| fields(u).3)
                .property("clock_seq_low", |u| fields(u).4)
                .property("node", |u| fields(u).5)
                .property("clock_seq", |u| {
                    let (.., high, low, _) = fields(u);
                    (u16::from(high & 0x3f) << 8) | u16::from(low)
                })
        })
}

/// `UUID(hex=..., bytes=..., bytes_le=..., fields=..., int=..., version=...)`: exactly one
/// source, then the version bits (and the RFC 4122 variant) when `version` is given.
fn construct(args: Args) -> Result<Uuid, RustError> {
    let hex: Option<String> = args.get("hex")?;
    let bytes: Option<Bytes> = args.get("bytes")?;
    let bytes_le: Option<Bytes> = args.get("bytes_le")?;
    let fields: Option<Fields> = args.get("fields")?;
    let int: Option<u128> = args.get("int")?;
    let version: Option<u8> = args.get("version")?;
    let given = [
        hex.is_some(),
        bytes.is_some(),
        bytes_le.is_some(),
        fields.is_some(),
        int.is_some(),
    ];
    if given.iter().filter(|g| **g).count() != 1 {
        return Err(RustError::new(
            "Arguments",
            "one of the hex, bytes, bytes_le, fields, or int arguments must be given",
        ));
    }
    let uuid = match (hex, bytes, bytes_le, fields, int) {
        (Some(hex), ..) => Uuid::try_parse(&hex).map_err(uuid_error)?,
        (_, Some(bytes), ..) => Uuid::from_slice(&bytes.0).map_err(uuid_error)?,
        (_, _, Some(bytes), ..) => Uuid::from_slice_le(&bytes.0).map_err(uuid_error)?,
        (_, _, _, Some((low, mid, high, seq_high, seq_low, node)), _) => {
            let node = node.to_be_bytes();
            let tail = [
                seq_high, seq_low, node[2], node[3], node[4], node[5], node[6], node[7],
            ];
            Uuid::from_fields(low, mid, high, &tail)
        }
        (_, _, _, _, Some(int)) => Uuid::from_u128(int),
        _ => unreachable!("exactly one source is given"),
    };
    match version {
        None => Ok(uuid),
        Some(number) => with_version(uuid, number),
    }
}

/// The UUID with RFC 4122's variant and version `number` (1 to 8) set, as Python's
/// `UUID(..., version=n)` makes it.
fn with_version(uuid: Uuid, number: u8) -> Result<Uuid, RustError> {
    if !(1..=8).contains(&number) {
        return Err(RustError::new("Version", "illegal version number."));
    }
    Ok(uuid::Builder::from_u128(uuid.as_u128())
        .with_variant(Variant::RFC4122)
        .with_version(version_of(number))
        .into_uuid())
}

fn uuid_error(error: uuid::Error) -> RustError {
    RustError::new("Error", error.to_string())
}

fn version_of(number: u8) -> Version {
    match number {
        1 => Version::Mac,
        2 => Version::Dce,
        3 => Version::Md5,
        4 => Version::Random,
        5 => Version::Sha1,
        6 => Version::SortMac,
        7 => Version::SortRand,
        _ => Version::Custom,
    }
}

/// Python's names for the variants (`uuid.RFC_4122` and the others).
fn variant_name(variant: Variant) -> &'static str {
    match variant {
        Variant::NCS => "reserved for NCS compatibility",
        Variant::RFC4122 => "specified in RFC 4122",
        Variant::Microsoft => "reserved for Microsoft compatibility",
        _ => "reserved for future definition",
    }
}

/// `(time_low, time_mid, time_hi_version, clock_seq_hi_variant, clock_seq_low, node)`.
fn fields(uuid: &Uuid) -> Fields {
    let (low, mid, high, tail) = uuid.as_fields();
    let node = tail[2..]
        .iter()
        .fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte));
    (low, mid, high, tail[0], tail[1], node)
}
