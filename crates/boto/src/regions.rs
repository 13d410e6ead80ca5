//! Regions and partitions, as boto3's `get_available_regions`,
//! `get_available_partitions` and `get_partition_for_region` give them.
//!
//! boto3 reads botocore's legacy endpoint data (`endpoints.json`): the
//! regions of a partition where the service (by its endpoint prefix) lists
//! an endpoint. That document is used whenever the loader finds it (on
//! `AWS_DATA_PATH`, `~/.aws/models`, or in the bundle). Without it the
//! answer comes from the endpoint rules' `partitions` document, which
//! knows each partition's regions but not which services run where: every
//! region of the partition is returned for any known service (global
//! pseudo-regions such as `aws-global` only with `allow_non_regional`).

use boto_core::model::Loader;

/// The partitions' names.
pub fn available_partitions(loader: &Loader) -> Vec<String> {
    if let Ok(endpoints) = loader.load_global("endpoints") {
        return list(&endpoints["partitions"])
            .iter()
            .filter_map(|p| p["partition"].as_str().map(str::to_owned))
            .collect();
    }
    match loader.load_global("partitions") {
        Ok(doc) => list(&doc["partitions"]).iter().filter_map(|p| p["id"].as_str().map(str::to_owned)).collect(),
        Err(_) => Vec::new(),
    }
}

fn list(v: &serde_json::Value) -> &[serde_json::Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// The regions of `partition` where `service` has an endpoint; empty for
/// an unknown service or partition.
pub fn available_regions(loader: &Loader, service: &str, partition: &str, allow_non_regional: bool) -> Vec<String> {
    let Ok(model) = loader.service_model(service, None) else { return Vec::new() };
    let prefix = if model.metadata().endpoint_prefix.is_empty() {
        service.to_owned()
    } else {
        model.metadata().endpoint_prefix.clone()
    };
    if let Ok(endpoints) = loader.load_global("endpoints") {
        let mut out = Vec::new();
        for p in list(&endpoints["partitions"]) {
            if p["partition"].as_str() != Some(partition) {
                continue;
            }
            let Some(service_endpoints) = p["services"][prefix.as_str()]["endpoints"].as_object() else { continue };
            for name in service_endpoints.keys() {
                let regional = p["regions"].get(name).is_some();
                if allow_non_regional || regional {
                    out.push(name.clone());
                }
            }
        }
        return out;
    }
    let Ok(doc) = loader.load_global("partitions") else { return Vec::new() };
    let mut out = Vec::new();
    for p in list(&doc["partitions"]) {
        if p["id"].as_str() != Some(partition) {
            continue;
        }
        let Some(regions) = p["regions"].as_object() else { continue };
        for name in regions.keys() {
            if allow_non_regional || !name.ends_with("-global") {
                out.push(name.clone());
            }
        }
    }
    out
}

/// The partition whose regions include `region`, or whose region pattern
/// matches it (botocore's `get_partition_for_region`).
pub fn partition_for_region(loader: &Loader, region: &str) -> Option<String> {
    let doc = loader.load_global("partitions").ok()?;
    let partitions = list(&doc["partitions"]);
    for p in partitions {
        if p["regions"].get(region).is_some() {
            return p["id"].as_str().map(str::to_owned);
        }
    }
    for p in partitions {
        if let Some(pattern) = p["regionRegex"].as_str() {
            if region_matches(pattern, region) {
                return p["id"].as_str().map(str::to_owned);
            }
        }
    }
    None
}

/// Matches the partitions' region patterns, which all have the form
/// `^(a|b|c)\-\w+\-\d+$` or `^prefix\-\w+\-\d+$` (with optional group).
fn region_matches(pattern: &str, region: &str) -> bool {
    let Some(body) = pattern.strip_prefix('^').and_then(|p| p.strip_suffix("\\-\\w+\\-\\d+$")) else {
        return false;
    };
    let parts: Vec<&str> = region.rsplitn(3, '-').collect();
    let [number, middle, head] = parts[..] else { return false };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if middle.is_empty() || !middle.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return false;
    }
    // The head: alternatives `(us|eu)` or literal text with escaped
    // hyphens and groups like `eusc\-(de)`.
    let head_pattern = body.replace("\\-", "-");
    expand(&head_pattern).iter().any(|h| h == head)
}

/// Expands a pattern of literal text and `(a|b)` groups into every string
/// it matches.
fn expand(pattern: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut rest = pattern;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('(') {
            let Some(close) = after.find(')') else { return Vec::new() };
            let alternatives: Vec<&str> = after[..close].split('|').collect();
            out = out.iter().flat_map(|prefix| alternatives.iter().map(move |a| format!("{prefix}{a}"))).collect();
            rest = &after[close + 1..];
        } else {
            let end = rest.find('(').unwrap_or(rest.len());
            for s in &mut out {
                s.push_str(&rest[..end]);
            }
            rest = &rest[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_and_patterns() {
        let loader = Loader::embedded_only();
        let partitions = available_partitions(&loader);
        assert!(partitions.iter().any(|p| p == "aws"));
        assert!(partitions.iter().any(|p| p == "aws-cn"));
        assert_eq!(partition_for_region(&loader, "us-east-1").as_deref(), Some("aws"));
        assert_eq!(partition_for_region(&loader, "cn-north-1").as_deref(), Some("aws-cn"));
        // Not listed, but matching the pattern.
        assert_eq!(partition_for_region(&loader, "eu-central-9").as_deref(), Some("aws"));
        assert_eq!(partition_for_region(&loader, "us-gov-north-7").as_deref(), Some("aws-us-gov"));
        assert_eq!(partition_for_region(&loader, "eusc-de-west-3").as_deref(), Some("aws-eusc"));
        assert_eq!(partition_for_region(&loader, "moon-base-1"), None);
        assert!(region_matches(r"^(us|eu)\-\w+\-\d+$", "eu-west-1"));
        assert!(!region_matches(r"^(us|eu)\-\w+\-\d+$", "eu-west-x"));
        assert!(!region_matches(r"^cn\-\w+\-\d+$", "us-west-1"));
    }

    #[test]
    fn regions_of_a_service() {
        let loader = Loader::embedded_only();
        let regions = available_regions(&loader, "dynamodb", "aws", false);
        assert!(regions.iter().any(|r| r == "us-east-1"));
        assert!(regions.iter().any(|r| r == "eu-west-1"));
        assert!(!regions.iter().any(|r| r.ends_with("-global")));
        let cn = available_regions(&loader, "dynamodb", "aws-cn", false);
        assert!(cn.iter().any(|r| r == "cn-north-1"));
        assert!(available_regions(&loader, "no-such-service", "aws", false).is_empty());
        // botocore 1.44.5's answers (Session.get_available_regions), from
        // its endpoints.json.
        assert_eq!(regions.len(), 34);
        assert_eq!(&regions[..3], ["af-south-1", "ap-east-1", "ap-east-2"]);
        assert_eq!(cn, ["cn-north-1", "cn-northwest-1"]);
        assert!(available_regions(&loader, "iam", "aws", false).is_empty());
        assert_eq!(available_regions(&loader, "s3", "aws", true).len(), 42);
        assert!(available_regions(&loader, "dynamodb", "no-such-partition", false).is_empty());
    }
}
