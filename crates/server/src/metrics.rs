//! Request counts and latency per route, in Prometheus' text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;

/// Upper bounds of the latency histogram, seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default)]
struct Route {
    by_status: BTreeMap<u16, u64>,
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Metrics {
    routes: Mutex<BTreeMap<String, Route>>,
}

impl Metrics {
    pub fn record(&self, route: &str, status: u16, seconds: f64) {
        let mut routes = self.routes.lock().unwrap();
        let r = routes.entry(route.to_string()).or_default();
        *r.by_status.entry(status).or_insert(0) += 1;
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                r.buckets[i] += 1;
            }
        }
        r.count += 1;
        r.sum += seconds;
    }

    /// The Prometheus exposition text.
    pub fn render(&self, uptime_secs: f64) -> String {
        let routes = self.routes.lock().unwrap();
        let mut s = String::new();
        let _ = writeln!(
            s,
            "# HELP warden_uptime_seconds Seconds since warden serve started."
        );
        let _ = writeln!(s, "# TYPE warden_uptime_seconds gauge");
        let _ = writeln!(s, "warden_uptime_seconds {uptime_secs:.3}");
        let _ = writeln!(
            s,
            "# HELP warden_http_requests_total HTTP requests by route and status."
        );
        let _ = writeln!(s, "# TYPE warden_http_requests_total counter");
        for (route, r) in routes.iter() {
            for (status, n) in &r.by_status {
                let _ = writeln!(
                    s,
                    "warden_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
                );
            }
        }
        let _ = writeln!(
            s,
            "# HELP warden_http_request_duration_seconds Time to answer, by route."
        );
        let _ = writeln!(s, "# TYPE warden_http_request_duration_seconds histogram");
        for (route, r) in routes.iter() {
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "warden_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{b}\"}} {}",
                    r.buckets[i]
                );
            }
            let _ = writeln!(
                s,
                "warden_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                r.count
            );
            let _ = writeln!(
                s,
                "warden_http_request_duration_seconds_sum{{route=\"{route}\"}} {:.6}",
                r.sum
            );
            let _ = writeln!(
                s,
                "warden_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                r.count
            );
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_buckets() {
        let m = Metrics::default();
        m.record("/api/incidents", 200, 0.002);
        m.record("/api/incidents", 200, 0.3);
        m.record("/api/incidents", 401, 0.0001);
        let t = m.render(1.0);
        assert!(t.contains("warden_http_requests_total{route=\"/api/incidents\",status=\"200\"} 2"));
        assert!(t.contains("warden_http_requests_total{route=\"/api/incidents\",status=\"401\"} 1"));
        assert!(t.contains("le=\"0.005\"} 2"), "{t}");
        assert!(t.contains("le=\"+Inf\"} 3"));
    }
}
