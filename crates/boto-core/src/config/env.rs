//! The process environment as an explicit value.
//!
//! Every reader of configuration takes an [`Env`] instead of calling
//! `std::env`, so tests can hand in a map and run in parallel without
//! touching the developer's real environment or `~/.aws`.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Environment variables and the home directory, captured once.
///
/// `Env::from_process()` snapshots the real environment; [`Env::from_map`]
/// builds one for tests. Values that are not valid UTF-8 are skipped.
///
/// ```
/// use boto_core::config::Env;
/// let env = Env::from_map([("HOME", "/home/me"), ("AWS_PROFILE", "dev")]);
/// assert_eq!(env.get("AWS_PROFILE"), Some("dev"));
/// assert_eq!(env.expand_path("~/.aws/config"), std::path::PathBuf::from("/home/me/.aws/config"));
/// ```
#[derive(Clone, Default)]
pub struct Env {
    vars: Arc<HashMap<String, String>>,
    home: Option<PathBuf>,
}

/// Variable names whose values must never be shown.
const SECRET_VARS: &[&str] =
    &["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN"];

impl Env {
    /// A snapshot of the current process environment.
    pub fn from_process() -> Env {
        let vars: HashMap<String, String> =
            std::env::vars_os().filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))).collect();
        let home = home_from(&vars);
        Env { vars: Arc::new(vars), home }
    }

    /// An environment made of exactly these variables. The home directory
    /// is `HOME` (or `USERPROFILE`) from the map, if present.
    pub fn from_map<K: Into<String>, V: Into<String>>(vars: impl IntoIterator<Item = (K, V)>) -> Env {
        let vars: HashMap<String, String> = vars.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        let home = home_from(&vars);
        Env { vars: Arc::new(vars), home }
    }

    /// An empty environment with no home directory.
    pub fn empty() -> Env {
        Env::default()
    }

    /// A copy with one more (or a replaced) variable.
    pub fn with_var(&self, key: impl Into<String>, value: impl Into<String>) -> Env {
        let mut vars = (*self.vars).clone();
        vars.insert(key.into(), value.into());
        let home = if self.home.is_some() { self.home.clone() } else { home_from(&vars) };
        Env { vars: Arc::new(vars), home }
    }

    /// A copy with another home directory.
    pub fn with_home(&self, home: impl Into<PathBuf>) -> Env {
        Env { vars: self.vars.clone(), home: Some(home.into()) }
    }

    /// The value of a variable, if set (even when empty).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    /// The value of a variable if set and not empty.
    pub fn get_non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    /// Whether a variable is set.
    pub fn contains(&self, key: &str) -> bool {
        self.vars.contains_key(key)
    }

    /// The home directory, if known.
    pub fn home_dir(&self) -> Option<&std::path::Path> {
        self.home.as_deref()
    }

    /// Expands `$VAR` / `${VAR}` (unknown variables are left as written)
    /// and then a leading `~` or `~/`, like Python's
    /// `os.path.expanduser(os.path.expandvars(path))`.
    pub fn expand_path(&self, path: &str) -> PathBuf {
        let expanded = self.expand_vars(path);
        if expanded == "~" {
            if let Some(home) = &self.home {
                return home.clone();
            }
        } else if let Some(rest) = expanded.strip_prefix("~/").or_else(|| expanded.strip_prefix("~\\")) {
            if let Some(home) = &self.home {
                return home.join(rest);
            }
        }
        PathBuf::from(expanded)
    }

    fn expand_vars(&self, s: &str) -> String {
        if !s.contains('$') {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(pos) = rest.find('$') {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 1..];
            let (name, consumed) = if let Some(inner) = after.strip_prefix('{') {
                match inner.find('}') {
                    Some(end) => (&inner[..end], end + 2),
                    None => ("", 0),
                }
            } else {
                let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(after.len());
                (&after[..end], end)
            };
            match (name.is_empty(), self.get(name)) {
                (false, Some(value)) => {
                    out.push_str(value);
                    rest = &after[consumed..];
                }
                _ => {
                    out.push('$');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

fn home_from(vars: &HashMap<String, String>) -> Option<PathBuf> {
    if let Some(h) = vars.get("HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(h));
    }
    if let Some(h) = vars.get("USERPROFILE").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(h));
    }
    match (vars.get("HOMEDRIVE"), vars.get("HOMEPATH")) {
        (Some(d), Some(p)) => Some(PathBuf::from(format!("{d}{p}"))),
        _ => None,
    }
}

impl fmt::Debug for Env {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&String> = self.vars.keys().collect();
        keys.sort();
        let mut map = f.debug_map();
        for k in keys {
            if SECRET_VARS.contains(&k.as_str()) {
                map.entry(k, &"** redacted **");
            } else if k.starts_with("AWS_") || k == "HOME" {
                map.entry(k, &self.vars[k]);
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_vars_and_home() {
        let env = Env::from_map([("HOME", "/h"), ("X", "y")]);
        assert_eq!(env.expand_path("$X/a"), PathBuf::from("y/a"));
        assert_eq!(env.expand_path("${X}b"), PathBuf::from("yb"));
        assert_eq!(env.expand_path("$NOPE/a"), PathBuf::from("$NOPE/a"));
        assert_eq!(env.expand_path("~"), PathBuf::from("/h"));
        assert_eq!(env.expand_path("~/x"), PathBuf::from("/h/x"));
        assert_eq!(env.expand_path("a~/x"), PathBuf::from("a~/x"));
        assert_eq!(env.expand_path("${X"), PathBuf::from("${X"));
    }

    #[test]
    fn debug_redacts_secrets() {
        let env = Env::from_map([("AWS_SECRET_ACCESS_KEY", "topsecret"), ("AWS_SESSION_TOKEN", "tok")]);
        let shown = format!("{env:?}");
        assert!(!shown.contains("topsecret"));
        assert!(!shown.contains("tok\""));
    }
}
