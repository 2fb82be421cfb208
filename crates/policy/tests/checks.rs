//! Every validation and risk check, each with a policy that must raise it
//! and a near-miss that must not.

use warden_policy::{analyze, check_document, Catalog, Document};

fn codes(src: &str) -> Vec<String> {
    let c = Catalog::embedded();
    let d = check_document(
        c,
        &Document {
            name: "p.json".into(),
            bytes: src.as_bytes().to_vec(),
        },
    );
    analyze(c, &[d], false, None)
        .remove(0)
        .findings
        .into_iter()
        .map(|f| f.code)
        .collect()
}

fn stmt(body: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{body}]}}"#)
}

/// (code, raises it, near miss)
fn cases() -> Vec<(&'static str, String, String)> {
    let s = |a: &str| stmt(a);
    vec![
        ("INVALID_JSON", "{\"Version\": \"2012-10-17\",".into(), s(r#"{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}"#)),
        ("MISSING_VERSION", r#"{"Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#.into(), s(r#"{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}"#)),
        ("UNKNOWN_VERSION", r#"{"Version":"2012-10-18","Statement":[{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}]}"#.into(), s(r#"{"Effect":"Allow","Action":"s3:ListAllMyBuckets","Resource":"*"}"#)),
        ("UNKNOWN_SERVICE", s(r#"{"Effect":"Allow","Action":"s4:GetObject","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#)),
        ("UNKNOWN_ACTION", s(r#"{"Effect":"Allow","Action":"s3:GetObjects","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#)),
        ("ACTION_MATCHES_NOTHING", s(r#"{"Effect":"Allow","Action":"s3:Fly*","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}"#)),
        ("INVALID_ACTION", s(r#"{"Effect":"Allow","Action":"GetObject","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#)),
        ("INVALID_ARN", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:bucket/key"}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/key"}"#)),
        ("RESOURCE_MISMATCH", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket"}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/*"}"#)),
        ("UNKNOWN_OPERATOR", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEqual":{"aws:PrincipalTag/team":"a"}}}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"a"}}}"#)),
        ("UNKNOWN_CONDITION_KEY", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceIP4":"a"}}}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}"#)),
        ("CONDITION_TYPE_MISMATCH", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceIp":"10.0.0.1"}}}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.1"}}}"#)),
        ("CONDITION_TYPE_MISMATCH", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:PrincipalTag/team":"2026-01-01"}}}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2026-01-01T00:00:00Z"}}}"#)),
        ("INVALID_CONDITION_VALUE", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/24"}}}"#)),
        ("SET_OPERATOR_ON_SINGLE_VALUED_KEY", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc"}}}"#)),
        ("MISSING_SET_OPERATOR", s(r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"StringEquals":{"aws:TagKeys":"team"}}}"#), s(r#"{"Effect":"Allow","Action":"s3:PutObject","Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":"team"}}}"#)),
        ("FOR_ALL_VALUES_WITHOUT_NULL_CHECK", s(r#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]}}}"#), s(r#"{"Effect":"Allow","Action":"ec2:CreateTags","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team"]},"Null":{"aws:TagKeys":"false"}}}"#)),
        ("CONDITION_KEY_NOT_SUPPORTED", s(r#"{"Effect":"Deny","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"ec2:InstanceType":"t3.micro"}}}"#), s(r#"{"Effect":"Deny","Action":"ec2:RunInstances","Resource":"*","Condition":{"StringEquals":{"ec2:InstanceType":"t3.micro"}}}"#)),
        ("DUPLICATE_SID", s(r#"{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}"#), s(r#"{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"B","Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}"#)),
        ("REDUNDANT_ACTION", s(r#"{"Effect":"Allow","Action":["s3:GetObject","s3:Get*"],"Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":["s3:GetObject","s3:List*"],"Resource":"*"}"#)),
        ("REDUNDANT_RESOURCE", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*","arn:aws:s3:::b/logs/*"]}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*","arn:aws:s3:::c/logs/*"]}"#)),
        ("ALLOW_WITH_NOT_ACTION", s(r#"{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}"#), s(r#"{"Effect":"Deny","NotAction":"iam:*","Resource":"*"}"#)),
        ("ALLOW_WITH_NOT_RESOURCE", s(r#"{"Effect":"Allow","Action":"s3:GetObject","NotResource":"arn:aws:s3:::secret/*"}"#), s(r#"{"Effect":"Deny","Action":"s3:GetObject","NotResource":"arn:aws:s3:::public/*"}"#)),
        ("ALLOW_WITH_NOT_PRINCIPAL", s(r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#), s(r#"{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#)),
        ("PUBLIC_ACCESS", s(r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#), s(r#"{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}"#)),
        ("PUBLIC_ACCESS", s(r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q","Condition":{"StringLike":{"aws:SourceArn":"*"}}}"#), s(r#"{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:q"}"#)),
        ("PASS_ROLE_ON_ALL_ROLES", s(r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app-lambda"}"#)),
        ("PASS_ROLE_WITHOUT_SERVICE_CONDITION", s(r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app"}"#), s(r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app","Condition":{"StringEquals":{"iam:PassedToService":"lambda.amazonaws.com"}}}"#)),
        ("FULL_ADMIN", s(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"iam:*","Resource":"*"}"#)),
        ("CREDENTIALS_EXPOSURE", s(r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:app/*"}"#)),
        ("DATA_EXFILTRATION", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d"}}}"#)),
        ("DATA_EXFILTRATION", s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"true"}}}"#), s(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}"#)),
        ("RESOURCE_EXPOSURE", s(r#"{"Effect":"Allow","Action":"s3:PutBucketPolicy","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"s3:PutBucketPolicy","Resource":"arn:aws:s3:::team-bucket"}"#)),
        ("PERMISSIONS_MANAGEMENT", s(r#"{"Effect":"Allow","Action":"iam:TagRole","Resource":"*"},{"Effect":"Allow","Action":"iam:DeleteRolePolicy","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"iam:DeleteRolePolicy","Resource":"arn:aws:iam::111122223333:role/team/*"}"#)),
        ("INFRASTRUCTURE_MODIFICATION", s(r#"{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*"}"#), s(r#"{"Effect":"Allow","Action":"ec2:TerminateInstances","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"web"}}}"#)),
        ("SERVICE_WILDCARD", s(r#"{"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/t"}"#), s(r#"{"Effect":"Allow","Action":"dynamodb:Get*","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/t"}"#)),
    ]
}

#[test]
fn every_check_fires_on_its_case_and_not_on_the_near_miss() {
    let mut failures = Vec::new();
    for (code, hit, miss) in cases() {
        let h = codes(&hit);
        if !h.iter().any(|c| c == code) {
            failures.push(format!("{code} not raised by {hit}: {h:?}"));
        }
        let m = codes(&miss);
        if m.iter().any(|c| c == code) {
            failures.push(format!("{code} raised by near miss {miss}: {m:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn scores_at_the_ends_of_the_scale() {
    let c = Catalog::embedded();
    let score = |src: &str| {
        let d = check_document(
            c,
            &Document {
                name: "p".into(),
                bytes: src.as_bytes().to_vec(),
            },
        );
        analyze(c, &[d], false, None)[0].score
    };
    assert_eq!(
        score(&stmt(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#)),
        1
    );
    assert_eq!(
        score(&stmt(
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::reports/2026/*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-0a1b2c3d"}}}"#
        )),
        10
    );
    let mid = score(&stmt(
        r#"{"Effect":"Allow","Action":["s3:*","ec2:Describe*"],"Resource":"*"}"#,
    ));
    assert!((2..=7).contains(&mid), "{mid}");
}

#[test]
fn hostile_policies_do_not_hang_or_crash() {
    let c = Catalog::embedded();
    let many: Vec<String> = (0..5000)
        .map(|i| format!("\"s3:Get{}*\"", "?".repeat(i % 7)))
        .collect();
    let big = stmt(&format!(
        r#"{{"Effect":"Allow","Action":[{}],"Resource":"arn:aws:s3:::{}*"}}"#,
        many.join(","),
        "a*".repeat(200)
    ));
    let t = std::time::Instant::now();
    let d = check_document(
        c,
        &Document {
            name: "big".into(),
            bytes: big.into_bytes(),
        },
    );
    let r = analyze(c, &[d], false, None);
    assert!(!r[0].findings.is_empty());
    assert!(t.elapsed().as_secs() < 10, "took {:?}", t.elapsed());
    for junk in [
        &b"\xff\xfe{}"[..],
        b"[[[[[[[[",
        b"null",
        b"{\"Statement\": {\"Effect\": 7}}",
        b"{\"Statement\":[{\"Condition\":{\"Bool\":[1]}}]}",
    ] {
        let d = check_document(
            c,
            &Document {
                name: "j".into(),
                bytes: junk.to_vec(),
            },
        );
        assert!(!d.findings.is_empty());
        let _ = analyze(c, &[d], false, None);
    }
}
