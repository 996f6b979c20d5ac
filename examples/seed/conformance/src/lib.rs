//! The Rust adapter of the seed components: one line per operation of the manifest.
//!
//! This is the only code a user of pyo3-conformance writes per component. Each closure takes
//! the operation's arguments as a tuple (already bound to the manifest's parameters, defaults
//! filled) and calls the Rust API; serde turns results into canonical values. Where Rust's type
//! does not say what Python sees (`BTreeSet` → `set`, `Vec<u8>` → `bytes`), a marker says it.

use std::collections::{BTreeMap, BTreeSet};

use pyo3_conformance::{Adapter, Bytes, Callback, FrozenSet, Obj, Set, Std, Value, detailed};
use seed_components as seed;

/// The adapter, with every function and class of `fixtures/seed/manifest.json`.
pub fn adapter() -> Adapter {
    Adapter::new("seed")
        .cargo_test("seed-conformance", "scenarios")
        .error_kinds(<seed::SeedError as strum::VariantNames>::VARIANTS)
        .function("component_a", |()| seed::component_a())
        .function("component_b", |(data,): (_,)| seed::component_b(&data))
        .try_function("checked_mul", |(a, b)| seed::checked_mul(a, b))
        .function("fibonacci", |(n,)| Value::Int(seed::fibonacci(n).into()))
        .function("scale", |(values, factor, digits): (Vec<f64>, _, _)| {
            seed::scale(&values, factor, digits)
        })
        .function("classify_float", |(x,)| seed::classify_float(x))
        .try_function("decode_utf8", |(data,): (Bytes,)| {
            seed::decode_utf8(&data.0).map_err(detailed)
        })
        .function("reverse_bytes", |(data,): (Bytes,)| {
            Bytes(data.0.into_iter().rev().collect())
        })
        .function("pairs", |(mapping,): (_,)| seed::pairs(&mapping))
        .function("invert", |(mapping,): (_,)| seed::invert(&mapping))
        .function("group_by_length", |(words,): (Vec<_>,)| {
            sets_by_key(seed::group_by_length(&words))
        })
        .function("unique", |(items,): (Vec<_>,)| Set(seed::unique(&items)))
        .function("unique_frozen", |(items,): (Vec<_>,)| {
            FrozenSet(seed::unique_frozen(&items))
        })
        .try_function("shift", |(Std(moment), minutes)| {
            seed::shift(moment, minutes).map(Std)
        })
        .function("elapsed", |(Std(start), Std(end))| {
            Std(seed::elapsed(start, end))
        })
        .try_function("add_days", |(Std(day), days)| {
            seed::add_days(day, days).map(Std)
        })
        .function("round_price", |(Std(amount), places)| {
            Std(seed::round_price(amount, places))
        })
        .class::<seed::ComponentA>("ComponentA", |class| {
            class
                .constructor(|()| seed::ComponentA::new())
                .method("process", |a, (data,): (String,)| a.process(&data))
                .method("run", |a, ()| a.run())
                .property("output", |a| a.output().to_owned())
                .setter("output", |a, value: String| a.set_output(value))
        })
        .class::<seed::Store>("Store", |class| {
            class
                .try_constructor(|(capacity,)| seed::Store::new(capacity))
                .try_method("put", |store, (key, value): (String, _)| {
                    store.put(&key, value)
                })
                .method("get", |store, (key, default): (String, _)| {
                    store.get(&key, default)
                })
                .try_method("remove", |store, (key,): (String,)| store.remove(&key))
                .method("keys", |store, ()| store.keys())
                .method("items", |store, ()| store.items())
                .property("size", |store| store.len())
                .property("capacity", |store| store.capacity())
        })
        .attribute("MAX_CAPACITY", || seed::MAX_CAPACITY)
        .object_attribute("EMPTY_VECTOR", seed::PVec::new)
        .object_function("vector_range", |(start, stop)| {
            seed::vector_range(start, stop)
        })
        .object_function("PVec.of", |(items,)| seed::PVec::of(items))
        .class::<seed::PVec>("PVec", |class| {
            class
                .constructor(|()| seed::PVec::new())
                .object_method("push", |v, (value,)| v.push(value))
                .object_method("concat", |v, (other,): (Obj<seed::PVec>,)| v.concat(&other))
                .object_method("filter", |v, (keep,): (Callback,)| {
                    v.filter(|x| keep.call((x,)))
                })
                .object_method("sorted", |v, ()| v.sorted())
                .method("iter", |v, ()| v.items().to_vec())
                .property("items", |v| v.items().to_vec())
                .property("size", |v| v.len())
        })
        // A subclass in Python only, the same Rust type: it inherits PVec's closures.
        .class::<seed::PVec>("SortedVec", |class| {
            class.method("rank", |v, (value,)| v.rank(value))
        })
        .callback("is_even", |(x,): (i64,)| x % 2 == 0)
        .callback("positive", |(x,): (i64,)| x > 0)
        .class::<seed::Tokenizer>("Tokenizer", |class| {
            class
                .constructor(|(lowercase,)| seed::Tokenizer::new(lowercase))
                .method("tokenize", |t, (text,): (String,)| t.tokenize(&text))
                .method("encode", |t, (text,): (String,)| t.encode(&text))
                .try_method("decode", |t, (ids,): (Vec<u32>,)| t.decode(&ids))
                .property("vocab_size", |t| t.vocab_size())
                .property("lowercase", |t| t.lowercase())
        })
}

/// PyO3 turns `BTreeMap<K, BTreeSet<V>>` into `dict[K, set[V]]`.
fn sets_by_key<K: Ord, V>(map: BTreeMap<K, BTreeSet<V>>) -> BTreeMap<K, Set<BTreeSet<V>>> {
    map.into_iter()
        .map(|(key, values)| (key, Set(values)))
        .collect()
}
