//! The `params!` macro.

/// Builds a [`Value`](crate::Value) from a JSON-like literal, in the spirit
/// of `serde_json::json!`.
///
/// Keys are string literals or any expression that becomes a `String`
/// (wrap non-literal keys in parentheses or brackets: `(key)`). Values are
/// nested literals, `null`, `true`, `false`, or any Rust expression that
/// converts with `Into<Value>` (numbers, strings, `Bytes`, timestamps,
/// vectors, options, other values).
///
/// ```
/// use boto_core::{params, Value};
///
/// let n = 7;
/// let id = String::from("u-1");
/// let v = params!({
///     "TableName": "users",
///     "Item": { "id": { "S": id }, "n": { "N": n.to_string() } },
///     "Limit": n * 2,
///     "Tags": [ "a", "b" ],
///     "Missing": null,
///     "Body": Value::blob(&b"raw"[..]),
/// });
/// assert_eq!(v["Limit"].as_i64(), Some(14));
/// assert_eq!(v["Tags"][1].as_str(), Some("b"));
/// ```
#[macro_export]
macro_rules! params {
    ($($tt:tt)+) => { $crate::__params_value!($($tt)+) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __params_value {
    (null) => { $crate::Value::Null };
    (true) => { $crate::Value::Bool(true) };
    (false) => { $crate::Value::Bool(false) };
    ([]) => { $crate::Value::List(::std::vec::Vec::new()) };
    ([ $($tt:tt)+ ]) => {{
        let mut list: ::std::vec::Vec<$crate::Value> = ::std::vec::Vec::new();
        $crate::__params_list!(list () $($tt)+);
        $crate::Value::List(list)
    }};
    ({}) => { $crate::Value::Map($crate::Map::new()) };
    ({ $($tt:tt)+ }) => {{
        let mut map = $crate::Map::new();
        $crate::__params_map!(map () $($tt)+);
        $crate::Value::Map(map)
    }};
    ($other:expr) => { $crate::Value::from($other) };
}

// Munches list elements: collects the tokens of one element until a comma.
#[doc(hidden)]
#[macro_export]
macro_rules! __params_list {
    ($list:ident ($($elem:tt)+) , $($rest:tt)*) => {
        ::std::vec::Vec::push(&mut $list, $crate::__params_value!($($elem)+));
        $crate::__params_list!($list () $($rest)*);
    };
    ($list:ident ($($elem:tt)*) $next:tt $($rest:tt)*) => {
        $crate::__params_list!($list ($($elem)* $next) $($rest)*);
    };
    ($list:ident ($($elem:tt)+)) => {
        ::std::vec::Vec::push(&mut $list, $crate::__params_value!($($elem)+));
    };
    ($list:ident ()) => {};
}

// Munches map entries: a key token, a colon, then the value's tokens until a
// comma.
#[doc(hidden)]
#[macro_export]
macro_rules! __params_map {
    ($map:ident () $key:literal : $($rest:tt)+) => {
        $crate::__params_map!(@value $map ($key) () $($rest)+);
    };
    ($map:ident () ($key:expr) : $($rest:tt)+) => {
        $crate::__params_map!(@value $map ($key) () $($rest)+);
    };
    ($map:ident () [$key:expr] : $($rest:tt)+) => {
        $crate::__params_map!(@value $map ($key) () $($rest)+);
    };
    ($map:ident () $key:ident : $($rest:tt)+) => {
        $crate::__params_map!(@value $map ($key) () $($rest)+);
    };
    ($map:ident ()) => {};
    (@value $map:ident ($key:expr) ($($val:tt)+) , $($rest:tt)*) => {
        $map.insert(::std::string::String::from($key), $crate::__params_value!($($val)+));
        $crate::__params_map!($map () $($rest)*);
    };
    (@value $map:ident ($key:expr) ($($val:tt)*) $next:tt $($rest:tt)*) => {
        $crate::__params_map!(@value $map ($key) ($($val)* $next) $($rest)*);
    };
    (@value $map:ident ($key:expr) ($($val:tt)+)) => {
        $map.insert(::std::string::String::from($key), $crate::__params_value!($($val)+));
    };
}
