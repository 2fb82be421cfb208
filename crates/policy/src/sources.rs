//! Where policies come from: a policy file, an AWS CLI `get-policy-version`
//! style wrapper, a CloudFormation template (JSON or YAML), or a Terraform
//! plan (`terraform show -json`). Each embedded document is named after the
//! place it came from, and for JSON inputs keeps its real line numbers.

use crate::json::{self, Member, Node, Pos, Value};

/// One policy document found in an input.
#[derive(Debug, Clone)]
pub struct Found {
    /// `file`, or `file#Resources.AppRole.Policies[0]` for embedded ones.
    pub name: String,
    /// The document, or why the input could not be read.
    pub root: Result<Node, json::ParseError>,
}

/// Find every policy document in one input's bytes.
pub fn extract(name: &str, bytes: &[u8]) -> Vec<Found> {
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map(|i| &bytes[i..])
        .unwrap_or(b"");
    let looks_yaml = !(trimmed.starts_with(b"{")
        || trimmed.starts_with(b"[")
        || trimmed.starts_with("\u{feff}".as_bytes()))
        && (name.ends_with(".yaml")
            || name.ends_with(".yml")
            || trimmed.starts_with(b"AWSTemplateFormatVersion")
            || trimmed.starts_with(b"Resources:"));
    let root = if looks_yaml {
        match yaml_to_node(bytes) {
            Ok(n) => n,
            Err(e) => {
                return vec![Found {
                    name: name.to_string(),
                    root: Err(e),
                }]
            }
        }
    } else {
        match json::parse(bytes) {
            Ok(n) => n,
            Err(e) => {
                return vec![Found {
                    name: name.to_string(),
                    root: Err(e),
                }]
            }
        }
    };
    // A policy itself.
    if root.get("Statement").is_some() {
        return vec![Found {
            name: name.to_string(),
            root: Ok(root),
        }];
    }
    let mut out = Vec::new();
    // `aws iam get-policy-version` / `get-role-policy` output.
    if let Some(d) = root
        .get("PolicyVersion")
        .and_then(|v| v.get("Document"))
        .or_else(|| root.get("PolicyDocument"))
    {
        out.push(embedded(name, "PolicyDocument", d));
        return out;
    }
    if let Some(res) = root.get("Resources").and_then(Node::members) {
        cloudformation(name, res, &mut out);
    }
    if let Some(pv) = root.get("planned_values") {
        terraform(name, pv, &mut out);
    }
    if out.is_empty() {
        out.push(Found {
            name: name.to_string(),
            root: Ok(root),
        });
    }
    out
}

/// A document embedded as an object, or as a JSON string (Terraform,
/// CloudFormation `!Sub` of a whole document).
fn embedded(file: &str, path: &str, n: &Node) -> Found {
    let name = format!("{file}#{path}");
    match &n.value {
        Value::String(s) => Found {
            name: format!("{name} (string)"),
            root: json::parse(s.as_bytes()),
        },
        _ => Found {
            name,
            root: Ok(resolve_intrinsics(n)),
        },
    }
}

/// CloudFormation resource types and where their policy documents are.
fn cloudformation(file: &str, resources: &[Member], out: &mut Vec<Found>) {
    for r in resources {
        let ty = r.node.get("Type").and_then(Node::as_str).unwrap_or("");
        let Some(props) = r.node.get("Properties") else {
            continue;
        };
        let base = format!("Resources.{}", r.key);
        let mut doc = |key: &str| {
            if let Some(d) = props.get(key) {
                out.push(embedded(file, &format!("{base}.{key}"), d));
            }
        };
        match ty {
            "AWS::IAM::Policy"
            | "AWS::IAM::ManagedPolicy"
            | "AWS::S3::BucketPolicy"
            | "AWS::SQS::QueuePolicy"
            | "AWS::SNS::TopicPolicy"
            | "AWS::IAM::UserPolicy"
            | "AWS::IAM::GroupPolicy"
            | "AWS::IAM::RolePolicy" => doc("PolicyDocument"),
            "AWS::KMS::Key" => doc("KeyPolicy"),
            "AWS::SecretsManager::ResourcePolicy" => doc("ResourcePolicy"),
            "AWS::IAM::Role" => doc("AssumeRolePolicyDocument"),
            _ => {}
        }
        if matches!(ty, "AWS::IAM::Role" | "AWS::IAM::User" | "AWS::IAM::Group") {
            if let Some(Value::Array(items)) = props.get("Policies").map(|p| &p.value) {
                for (i, p) in items.iter().enumerate() {
                    if let Some(d) = p.get("PolicyDocument") {
                        out.push(embedded(
                            file,
                            &format!("{base}.Policies[{i}].PolicyDocument"),
                            d,
                        ));
                    }
                }
            }
        }
    }
}

/// Terraform plan: IAM and resource-policy resources in every module.
fn terraform(file: &str, planned: &Node, out: &mut Vec<Found>) {
    fn module(file: &str, m: &Node, out: &mut Vec<Found>) {
        if let Some(Value::Array(rs)) = m.get("resources").map(|r| &r.value) {
            for r in rs {
                let ty = r.get("type").and_then(Node::as_str).unwrap_or("");
                let addr = r.get("address").and_then(Node::as_str).unwrap_or(ty);
                let Some(v) = r.get("values") else { continue };
                let mut doc = |key: &str| {
                    if let Some(d) = v.get(key) {
                        if d.as_str().is_some_and(|s| !s.is_empty()) {
                            out.push(embedded(file, &format!("{addr}.{key}"), d));
                        }
                    }
                };
                match ty {
                    "aws_iam_policy"
                    | "aws_iam_role_policy"
                    | "aws_iam_user_policy"
                    | "aws_iam_group_policy"
                    | "aws_s3_bucket_policy"
                    | "aws_sqs_queue_policy"
                    | "aws_sns_topic_policy"
                    | "aws_kms_key"
                    | "aws_secretsmanager_secret_policy"
                    | "aws_ecr_repository_policy" => doc("policy"),
                    "aws_iam_role" => {
                        doc("assume_role_policy");
                        if let Some(Value::Array(inl)) = v.get("inline_policy").map(|x| &x.value) {
                            for (i, p) in inl.iter().enumerate() {
                                if let Some(d) = p
                                    .get("policy")
                                    .filter(|d| d.as_str().is_some_and(|s| !s.is_empty()))
                                {
                                    out.push(embedded(
                                        file,
                                        &format!("{addr}.inline_policy[{i}].policy"),
                                        d,
                                    ));
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(Value::Array(children)) = m.get("child_modules").map(|c| &c.value) {
            for c in children {
                module(file, c, out);
            }
        }
    }
    if let Some(root) = planned.get("root_module") {
        module(file, root, out);
    }
}

/// CloudFormation intrinsic functions inside a policy become strings with
/// `${…}` variables (treated as wildcards), so the document can be checked
/// before deployment: `{"Ref": "Bucket"}` → `${Bucket}`,
/// `{"Fn::GetAtt": ["Role", "Arn"]}` → `${Role.Arn}`, `Fn::Sub` keeps its
/// template, `Fn::Join` joins its parts; other functions become `*`.
pub fn resolve_intrinsics(n: &Node) -> Node {
    let s = |text: String| Node {
        value: Value::String(text),
        pos: n.pos,
    };
    match &n.value {
        Value::Object(m) if m.len() == 1 && (m[0].key == "Ref" || m[0].key.starts_with("Fn::")) => {
            let arg = &m[0].node;
            match m[0].key.as_str() {
                "Ref" => s(format!("${{{}}}", arg.as_str().unwrap_or("Ref"))),
                "Fn::GetAtt" => match &arg.value {
                    Value::Array(a) => s(format!(
                        "${{{}}}",
                        a.iter()
                            .filter_map(Node::as_str)
                            .collect::<Vec<_>>()
                            .join(".")
                    )),
                    Value::String(x) => s(format!("${{{x}}}")),
                    _ => s("*".into()),
                },
                "Fn::Sub" => match &arg.value {
                    Value::String(x) => s(x.clone()),
                    Value::Array(a) => {
                        s(a.first().and_then(Node::as_str).unwrap_or("*").to_string())
                    }
                    _ => s("*".into()),
                },
                "Fn::Join" => match &arg.value {
                    Value::Array(a) if a.len() == 2 => {
                        let sep = a[0].as_str().unwrap_or("");
                        let parts: Vec<String> = match &a[1].value {
                            Value::Array(p) => p
                                .iter()
                                .map(|x| match resolve_intrinsics(x).value {
                                    Value::String(t) => t,
                                    _ => "*".into(),
                                })
                                .collect(),
                            _ => vec!["*".into()],
                        };
                        s(parts.join(sep))
                    }
                    _ => s("*".into()),
                },
                _ => s("*".into()),
            }
        }
        Value::Object(m) => Node {
            value: Value::Object(
                m.iter()
                    .map(|x| Member {
                        key: x.key.clone(),
                        key_pos: x.key_pos,
                        node: resolve_intrinsics(&x.node),
                    })
                    .collect(),
            ),
            pos: n.pos,
        },
        Value::Array(a) => Node {
            value: Value::Array(a.iter().map(resolve_intrinsics).collect()),
            pos: n.pos,
        },
        _ => n.clone(),
    }
}

/// YAML (CloudFormation) to a JSON node. serde_yaml keeps no positions, so
/// findings in YAML templates carry paths but no line numbers. Short-form
/// intrinsics (`!Ref`, `!Sub`, `!GetAtt`, `!Join`) become their long form.
fn yaml_to_node(bytes: &[u8]) -> Result<Node, json::ParseError> {
    let v: serde_yaml::Value = serde_yaml::from_slice(bytes).map_err(|e| json::ParseError {
        message: format!("not valid YAML: {e}"),
        pos: e
            .location()
            .map(|l| Pos {
                line: l.line() as u32,
                col: l.column() as u32,
                offset: l.index(),
            })
            .unwrap_or_default(),
    })?;
    Ok(convert(&v, 0))
}

fn convert(v: &serde_yaml::Value, depth: usize) -> Node {
    use serde_yaml::Value as Y;
    let node = |value| Node {
        value,
        pos: Pos::default(),
    };
    if depth > json::MAX_DEPTH {
        return node(Value::Null);
    }
    match v {
        Y::Null => node(Value::Null),
        Y::Bool(b) => node(Value::Bool(*b)),
        Y::Number(n) => node(Value::Number(n.to_string())),
        Y::String(s) => node(Value::String(s.clone())),
        Y::Sequence(items) => node(Value::Array(
            items.iter().map(|x| convert(x, depth + 1)).collect(),
        )),
        Y::Mapping(m) => node(Value::Object(
            m.iter()
                .map(|(k, v)| Member {
                    key: match k {
                        Y::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    },
                    key_pos: Pos::default(),
                    node: convert(v, depth + 1),
                })
                .collect(),
        )),
        Y::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!');
            let key = if name == "Ref" {
                "Ref".to_string()
            } else {
                format!("Fn::{name}")
            };
            let mut arg = convert(&t.value, depth + 1);
            if name == "GetAtt" {
                if let Value::String(s) = &arg.value {
                    let parts: Vec<Node> = s
                        .splitn(2, '.')
                        .map(|p| Node {
                            value: Value::String(p.to_string()),
                            pos: Pos::default(),
                        })
                        .collect();
                    arg = node(Value::Array(parts));
                }
            }
            node(Value::Object(vec![Member {
                key,
                key_pos: Pos::default(),
                node: arg,
            }]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_policy_and_cli_wrapper() {
        let f = extract("p.json", br#"{"Version":"2012-10-17","Statement":[]}"#);
        assert_eq!((f.len(), f[0].name.as_str()), (1, "p.json"));
        let f = extract(
            "v.json",
            br#"{"PolicyVersion":{"Document":{"Version":"2012-10-17","Statement":[]},"VersionId":"v1"}}"#,
        );
        assert_eq!(f[0].name, "v.json#PolicyDocument");
        assert!(f[0].root.as_ref().unwrap().get("Statement").is_some());
        assert!(extract("bad.json", b"{\"a\":").remove(0).root.is_err());
    }

    #[test]
    fn cloudformation_json_keeps_lines_and_resolves_intrinsics() {
        let t = br#"{
  "Resources": {
    "AppRole": {"Type": "AWS::IAM::Role", "Properties": {
      "AssumeRolePolicyDocument": {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]},
      "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"s3:GetObject","Resource":{"Fn::Sub":"arn:aws:s3:::${Bucket}/*"}},
        {"Effect":"Allow","Action":"s3:ListBucket","Resource":{"Fn::GetAtt":["Bucket","Arn"]}}]}}]}},
    "Q": {"Type": "AWS::SQS::Queue", "Properties": {}}
  }
}"#;
        let f = extract("t.json", t);
        let names: Vec<&str> = f.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "t.json#Resources.AppRole.AssumeRolePolicyDocument",
                "t.json#Resources.AppRole.Policies[0].PolicyDocument"
            ]
        );
        let doc = f[1].root.as_ref().unwrap();
        assert_eq!(doc.pos.line, 5);
        let Value::Array(st) = &doc.get("Statement").unwrap().value else {
            panic!()
        };
        assert_eq!(
            st[0].get("Resource").unwrap().as_str(),
            Some("arn:aws:s3:::${Bucket}/*")
        );
        assert_eq!(
            st[1].get("Resource").unwrap().as_str(),
            Some("${Bucket.Arn}")
        );
    }

    #[test]
    fn cloudformation_yaml_with_short_intrinsics() {
        let t = b"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: !Sub 'arn:aws:s3:::${B}/*'\n";
        let f = extract("t.yaml", t);
        assert_eq!(f.len(), 1);
        let doc = f[0].root.as_ref().unwrap();
        let Value::Array(st) = &doc.get("Statement").unwrap().value else {
            panic!()
        };
        assert_eq!(
            st[0].get("Resource").unwrap().as_str(),
            Some("arn:aws:s3:::${B}/*")
        );
        assert!(extract("t.yaml", b"Resources: [\n").remove(0).root.is_err());
    }

    #[test]
    fn terraform_plan_policies_as_strings() {
        let plan = br#"{"format_version":"1.2","planned_values":{"root_module":{"resources":[
          {"address":"aws_iam_policy.ci","type":"aws_iam_policy","values":{"policy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"}},
          {"address":"aws_s3_bucket.b","type":"aws_s3_bucket","values":{}}],
          "child_modules":[{"resources":[{"address":"module.m.aws_iam_role.r","type":"aws_iam_role","values":{
             "assume_role_policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}",
             "inline_policy":[{"name":"x","policy":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"}]}}]}]}}}"#;
        let f = extract("plan.json", plan);
        let names: Vec<&str> = f.iter().map(|x| x.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "plan.json#aws_iam_policy.ci.policy (string)",
                "plan.json#module.m.aws_iam_role.r.assume_role_policy (string)",
                "plan.json#module.m.aws_iam_role.r.inline_policy[0].policy (string)"
            ]
        );
        assert!(f.iter().all(|x| x.root.is_ok()));
    }
}
