//! Helpers shared by the end-to-end tests: a local AWS stand-in.
#![allow(dead_code)]

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// A local AWS stand-in (`moto_server`, from PyPI `moto[server]`; the
/// test script installs it), stopped when dropped.
pub struct Moto {
    pub child: Child,
    pub url: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn moto() -> Moto {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server is not installed: pip install 'moto[server]' (scripts/test.sh does)");
    let m = Moto {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    for _ in 0..200 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return m;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("moto_server did not start on port {port}");
}

pub fn aws_env(m: &Moto) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", m.url.clone()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_CONFIG_FILE", "/nonexistent".into()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent".into()),
        ("AWS_EC2_METADATA_DISABLED", "true".into()),
    ]
}

/// One unsigned request to moto (it does not check signatures): status
/// and body.
pub fn aws_call(
    m: &Moto,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    aws_request(m, "POST", "/", content_type, headers, body.as_bytes())
}

/// Any unsigned request to moto (S3 uses PUT on /bucket/key).
pub fn aws_request(
    m: &Moto,
    method: &str,
    path: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    use std::io::{Read, Write};
    let addr = m.url.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    let (h, b) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = h
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, b.to_string())
}

/// `Authorization` naming a service, so moto knows the region.
pub fn auth(service: &str) -> String {
    format!("AWS4-HMAC-SHA256 Credential=testing/20261205/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=0")
}

/// Requests a stand-in received: (path, lower-cased headers, body).
pub type Seen = std::sync::Arc<std::sync::Mutex<Vec<(String, String, String)>>>;

/// A local HTTP server standing in for Slack, a webhook receiver …:
/// records every request; `reply(path)` gives the status line and body.
pub fn http_stand_in(
    mut reply: impl FnMut(&str) -> (&'static str, String) + Send + 'static,
) -> (String, Seen) {
    use std::io::Write;
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap().to_string();
    let seen: Seen = Default::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in l.incoming() {
            let Ok(stream) = stream else { return };
            let (first, headers, body) = read_request(&stream);
            let path = first.split(' ').nth(1).unwrap_or("").to_string();
            let (status, text) = reply(&path);
            log.lock()
                .unwrap()
                .push((path, headers, String::from_utf8_lossy(&body).to_string()));
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (addr, seen)
}

/// One HTTP/1.1 request from a stand-in's connection: the request line,
/// the lower-cased headers and the body (by Content-Length).
pub fn read_request(stream: &TcpStream) -> (String, String, Vec<u8>) {
    use std::io::{BufRead, BufReader, Read};
    let mut r = BufReader::new(stream.try_clone().unwrap());
    let (mut first, mut headers, mut len) = (String::new(), String::new(), 0usize);
    let _ = r.read_line(&mut first);
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
        headers.push_str(&line.to_ascii_lowercase());
    }
    let mut body = vec![0; len];
    let _ = r.read_exact(&mut body);
    (first, headers, body)
}
