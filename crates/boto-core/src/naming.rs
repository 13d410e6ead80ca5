//! boto3's Python-style names: `GetItem` ↔ `get_item`.

/// Names botocore converts by hand (its `_xform_cache`), where the rules
/// would split an acronym wrongly.
const SPECIAL: [(&str, &str); 51] = [
    ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
    ("DescribeCachediSCSIVolumes", "describe_cached_iscsi_volumes"),
    ("DescribeStorediSCSIVolumes", "describe_stored_iscsi_volumes"),
    ("CreateStorediSCSIVolume", "create_stored_iscsi_volume"),
    ("ListHITsForQualificationType", "list_hits_for_qualification_type"),
    ("ExecutePartiQLStatement", "execute_partiql_statement"),
    ("ExecutePartiQLTransaction", "execute_partiql_transaction"),
    ("ExecutePartiQLBatch", "execute_partiql_batch"),
    ("CreateOAuth2Token", "create_oauth2_token"),
    ("CreateOAuth2TokenWithIAM", "create_oauth2_token_with_iam"),
    ("IntrospectOAuth2TokenWithIAM", "introspect_oauth2_token_with_iam"),
    ("RevokeOAuth2TokenWithIAM", "revoke_oauth2_token_with_iam"),
    ("AssociateWhatsAppBusinessAccount", "associate_whatsapp_business_account"),
    ("CreateWhatsAppDataset", "create_whatsapp_dataset"),
    ("CreateWhatsAppFlow", "create_whatsapp_flow"),
    ("CreateWhatsAppMessageTemplate", "create_whatsapp_message_template"),
    ("CreateWhatsAppMessageTemplateFromLibrary", "create_whatsapp_message_template_from_library"),
    ("CreateWhatsAppMessageTemplateMedia", "create_whatsapp_message_template_media"),
    ("DeleteWhatsAppFlow", "delete_whatsapp_flow"),
    ("DeleteWhatsAppMessageMedia", "delete_whatsapp_message_media"),
    ("DeleteWhatsAppMessageTemplate", "delete_whatsapp_message_template"),
    ("DeprecateWhatsAppFlow", "deprecate_whatsapp_flow"),
    ("DisassociateWhatsAppBusinessAccount", "disassociate_whatsapp_business_account"),
    ("GetLinkedWhatsAppBusinessAccount", "get_linked_whatsapp_business_account"),
    ("GetLinkedWhatsAppBusinessAccountPhoneNumber", "get_linked_whatsapp_business_account_phone_number"),
    ("GetOTelEnrichment", "get_otel_enrichment"),
    ("GetWhatsAppBusinessPublicKey", "get_whatsapp_business_public_key"),
    ("GetWhatsAppCallPermission", "get_whatsapp_call_permission"),
    ("GetWhatsAppFlow", "get_whatsapp_flow"),
    ("GetWhatsAppFlowPreview", "get_whatsapp_flow_preview"),
    ("GetWhatsAppMessageMedia", "get_whatsapp_message_media"),
    ("GetWhatsAppMessageTemplate", "get_whatsapp_message_template"),
    ("ListLinkedWhatsAppBusinessAccounts", "list_linked_whatsapp_business_accounts"),
    ("ListWhatsAppFlowAssets", "list_whatsapp_flow_assets"),
    ("ListWhatsAppFlows", "list_whatsapp_flows"),
    ("ListWhatsAppMessageTemplates", "list_whatsapp_message_templates"),
    ("ListWhatsAppTemplateLibrary", "list_whatsapp_template_library"),
    ("PostWhatsAppMessageMedia", "post_whatsapp_message_media"),
    ("PublishWhatsAppFlow", "publish_whatsapp_flow"),
    ("PutWhatsAppBusinessPublicKey", "put_whatsapp_business_public_key"),
    ("PutWhatsAppBusinessAccountEventDestinations", "put_whatsapp_business_account_event_destinations"),
    ("SendWhatsAppConversionEvent", "send_whatsapp_conversion_event"),
    ("SendWhatsAppMessage", "send_whatsapp_message"),
    ("SendWhatsAppCallEvent", "send_whatsapp_call_event"),
    ("StartOTelEnrichment", "start_otel_enrichment"),
    ("StopOTelEnrichment", "stop_otel_enrichment"),
    ("UpdateOTelEnrichment", "update_otel_enrichment"),
    ("UpdateWhatsAppFlow", "update_whatsapp_flow"),
    ("UpdateWhatsAppFlowAssets", "update_whatsapp_flow_assets"),
    ("UpdateLinkedWhatsAppBusinessAccountPhoneNumber", "update_linked_whatsapp_business_account_phone_number"),
    ("UpdateWhatsAppMessageTemplate", "update_whatsapp_message_template"),
];

/// botocore's `xform_name`: `ListObjectsV2` → `list_objects_v2`,
/// `DescribeDBInstances` → `describe_db_instances`, `ListACLs` →
/// `list_acls`. A name that already contains `_` is returned unchanged.
///
/// ```
/// use boto_core::naming::xform_name;
/// assert_eq!(xform_name("GetItem"), "get_item");
/// assert_eq!(xform_name("ListObjectsV2"), "list_objects_v2");
/// assert_eq!(xform_name("DescribeDBInstances"), "describe_db_instances");
/// assert_eq!(xform_name("ExecutePartiQLStatement"), "execute_partiql_statement");
/// ```
pub fn xform_name(name: &str) -> String {
    if name.contains('_') {
        return name.to_owned();
    }
    if let Some((_, special)) = SPECIAL.iter().find(|(from, _)| *from == name) {
        return (*special).to_owned();
    }
    let chars: Vec<char> = name.chars().collect();
    // `[A-Z]{2,}s$` becomes `_` + lower case (ARNs → _arns).
    let mut prepared: Vec<char> = chars.clone();
    if chars.last() == Some(&'s') {
        let upper_run = chars[..chars.len() - 1].iter().rev().take_while(|c| c.is_ascii_uppercase()).count();
        if upper_run >= 2 {
            let start = chars.len() - 1 - upper_run;
            prepared = chars[..start].to_vec();
            prepared.push('_');
            prepared.extend(chars[start..].iter().map(|c| c.to_ascii_lowercase()));
        }
    }
    // `(.)([A-Z][a-z]+)` → `\1_\2`, left to right, non-overlapping.
    let mut s1 = Vec::with_capacity(prepared.len() + 8);
    let mut i = 0;
    while i < prepared.len() {
        let c = prepared[i];
        let upper_next = prepared.get(i + 1).is_some_and(|c| c.is_ascii_uppercase());
        let lower_after = prepared.get(i + 2).is_some_and(|c| c.is_ascii_lowercase());
        if upper_next && lower_after {
            let mut j = i + 2;
            while prepared.get(j).is_some_and(|c| c.is_ascii_lowercase()) {
                j += 1;
            }
            s1.push(c);
            s1.push('_');
            s1.extend_from_slice(&prepared[i + 1..j]);
            i = j;
        } else {
            s1.push(c);
            i += 1;
        }
    }
    // `([a-z0-9])([A-Z])` → `\1_\2`.
    let mut out = String::with_capacity(s1.len() + 8);
    let mut i = 0;
    while i < s1.len() {
        let c = s1[i];
        if (c.is_ascii_lowercase() || c.is_ascii_digit()) && s1.get(i + 1).is_some_and(|c| c.is_ascii_uppercase()) {
            out.push(c);
            out.push('_');
            out.push(s1[i + 1]);
            i += 2;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out.to_lowercase()
}

/// The names closest to `wanted` (case and `_`/`-` ignored), at most
/// `limit`, for "did you mean" hints: names that contain it, or are within a
/// small edit distance.
///
/// ```
/// let names = ["GetItem", "PutItem", "Query"];
/// assert_eq!(boto_core::naming::closest(names.iter().copied(), "getiten", 3), ["GetItem"]);
/// ```
pub fn closest<'a>(names: impl Iterator<Item = &'a str>, wanted: &str, limit: usize) -> Vec<String> {
    let norm = |s: &str| s.chars().filter(|c| *c != '_' && *c != '-').flat_map(char::to_lowercase).collect::<String>();
    let want = norm(wanted);
    let budget = (want.chars().count() / 4).clamp(1, 3);
    let mut scored: Vec<(usize, String)> = names
        .filter_map(|n| {
            let cand = norm(n);
            let d = if cand.contains(&want) && !want.is_empty() { 0 } else { edit_distance(&cand, &want) };
            (d <= budget).then(|| (d, n.to_owned()))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(limit).map(|(_, n)| n).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::xform_name;

    #[test]
    fn botocore_cases() {
        // Cases from botocore's test_utils (xform_name) and real models.
        for (input, expected) in [
            ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
            ("ListAccessKeys", "list_access_keys"),
            ("DescribeDBInstances", "describe_db_instances"),
            ("GetBucketAcl", "get_bucket_acl"),
            ("ListACLs", "list_acls"),
            ("DescribeVpcPeeringConnections", "describe_vpc_peering_connections"),
            ("CreateVPCEndpoint", "create_vpc_endpoint"),
            ("AddRoleToInstanceProfile", "add_role_to_instance_profile"),
            ("ListObjectsV2", "list_objects_v2"),
            ("GetMetricData", "get_metric_data"),
            ("ModifyDBClusterSnapshotAttribute", "modify_db_cluster_snapshot_attribute"),
            ("DescribeInstances", "describe_instances"),
            ("ListUsers", "list_users"),
            ("already_snake", "already_snake"),
            ("GetItem", "get_item"),
            ("S3", "s3"),
            ("ListAPIs", "list_apis"),
            ("DescribeARNs", "describe_arns"),
            ("GetSMSAttributes", "get_sms_attributes"),
            ("UpdateSSHPublicKey", "update_ssh_public_key"),
        ] {
            assert_eq!(xform_name(input), expected, "{input}");
        }
    }
}
