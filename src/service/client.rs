//! The client side: connecting to a rota server and the CLI's remote verbs.
//!
//! `rota check --server URL FILE` reads and parses FILE locally (so a syntax error reads exactly
//! as it does offline), sends the snapshot inline, and turns the answer back into the checker's
//! own [`CheckReport`], which the CLI prints with the same code as the local verb. A refusal
//! with `INVALID_ARGUMENT` comes back as the same field errors the local verb would list (paths
//! relative to the snapshot).

use super::convert::{report_from_proto, snapshot_to_proto};
use super::proto as pb;
use super::proto::rota_service_client::RotaServiceClient;
use crate::model::{FieldError, Snapshot};
use crate::rules::CheckReport;
use std::time::Duration;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint};
use tonic::{Code, Status};
use tonic_types::StatusExt;

/// How to reach a server.
#[derive(Clone, Debug, Default)]
pub struct ClientConfig {
    /// `http://host:port` or `https://host:port`.
    pub url: String,
    /// PEM of the CA that signed the server's certificate, for `https` with a private CA.
    pub ca_cert: Option<Vec<u8>>,
    /// Bearer token to send.
    pub token: Option<String>,
    /// Deadline of each call.
    pub timeout: Option<Duration>,
    /// Largest message to send or accept.
    pub max_message_bytes: usize,
}

/// Why a remote call failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached or the URL is unusable.
    #[error("cannot connect to {url}: {reason}")]
    Connect {
        /// The server's URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The server refused the snapshot; every problem, with paths relative to the snapshot.
    #[error("{} problem(s) in the snapshot", .0.len())]
    Invalid(Vec<FieldError>),
    /// Any other status.
    #[error("the server answered {}: {}", code_name(.0.code()), .0.message())]
    Status(Status),
    /// The server's answer could not be read.
    #[error("the server's answer is malformed: {}", .0.first().map(|e| e.to_string()).unwrap_or_default())]
    BadAnswer(Vec<FieldError>),
}

fn code_name(code: Code) -> String {
    format!("{code:?}")
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let sep = (i > 0 && c.is_uppercase()).then_some('_');
            sep.into_iter().chain(c.to_uppercase())
        })
        .collect()
}

/// Adds the bearer token to every call.
#[derive(Clone)]
pub struct Bearer(Option<tonic::metadata::MetadataValue<tonic::metadata::Ascii>>);

impl tonic::service::Interceptor for Bearer {
    fn call(&mut self, mut request: tonic::Request<()>) -> Result<tonic::Request<()>, Status> {
        if let Some(value) = &self.0 {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        Ok(request)
    }
}

/// A connected client.
pub type Client = RotaServiceClient<InterceptedService<Channel, Bearer>>;

/// Connects to the server described by `config`.
pub async fn connect(config: &ClientConfig) -> Result<Client, ClientError> {
    let fail = |reason: String| ClientError::Connect {
        url: config.url.clone(),
        reason,
    };
    let mut endpoint =
        Endpoint::from_shared(config.url.clone()).map_err(|e| fail(e.to_string()))?;
    if config.url.starts_with("https://") {
        let mut tls = ClientTlsConfig::new();
        if let Some(ca) = &config.ca_cert {
            tls = tls.ca_certificate(Certificate::from_pem(ca));
        }
        endpoint = endpoint.tls_config(tls).map_err(|e| fail(e.to_string()))?;
    }
    let channel = endpoint
        .connect_timeout(Duration::from_secs(10))
        .connect()
        .await
        .map_err(|e| fail(error_chain(&e)))?;
    let token = match &config.token {
        Some(t) => Some(
            format!("Bearer {t}")
                .parse()
                .map_err(|_| fail("the token is not a valid header value".into()))?,
        ),
        None => None,
    };
    let max = if config.max_message_bytes == 0 {
        super::server::DEFAULT_MAX_MESSAGE_BYTES
    } else {
        config.max_message_bytes
    };
    Ok(RotaServiceClient::with_interceptor(channel, Bearer(token))
        .max_decoding_message_size(max)
        .max_encoding_message_size(max))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out += &format!(": {s}");
        source = s.source();
    }
    out
}

/// Checks `snapshot` on the server (inline) and returns the checker's report.
pub async fn check(
    client: &mut Client,
    snapshot: &Snapshot,
    timeout: Option<Duration>,
) -> Result<CheckReport, ClientError> {
    let mut request = tonic::Request::new(pb::CheckRequest {
        source: Some(pb::check_request::Source::Snapshot(snapshot_to_proto(
            snapshot,
        ))),
    });
    if let Some(t) = timeout {
        request.set_timeout(t);
    }
    let response = client.check(request).await.map_err(from_status)?;
    let report = response.into_inner().report.ok_or_else(|| {
        ClientError::BadAnswer(vec![FieldError {
            path: "report".into(),
            reason: "is missing".into(),
        }])
    })?;
    report_from_proto(&report).map_err(ClientError::BadAnswer)
}

/// Asks the server (inline snapshot) for the best `top` replacements of `absence`.
pub async fn recommend(
    client: &mut Client,
    snapshot: &Snapshot,
    absence: &crate::solve::recommend::Absence,
    top: usize,
    timeout: Option<Duration>,
) -> Result<crate::solve::recommend::Recommendation, ClientError> {
    let mut request = tonic::Request::new(pb::RecommendRequest {
        source: Some(pb::recommend_request::Source::Snapshot(snapshot_to_proto(
            snapshot,
        ))),
        staff: absence.staff.to_string(),
        date: absence.date.to_string(),
        top: u32::try_from(top).unwrap_or(u32::MAX),
    });
    if let Some(t) = timeout {
        request.set_timeout(t);
    }
    let response = client.recommend(request).await.map_err(from_status)?;
    let answer = response.into_inner().recommendation.ok_or_else(|| {
        ClientError::BadAnswer(vec![FieldError {
            path: "recommendation".into(),
            reason: "is missing".into(),
        }])
    })?;
    super::recommend::from_proto(&answer).map_err(ClientError::BadAnswer)
}

/// Asks the server (inline snapshot) to plan the cover of `absences` at the prices of `weights`
/// within `time_limit` and `relative_gap`; the answer is the library's own [`CoverPlan`](crate::solve::cover::CoverPlan).
pub async fn cover(
    client: &mut Client,
    snapshot: &Snapshot,
    absences: &[crate::solve::cover::AbsenceSpan],
    weights: &crate::solve::cover::CoverWeights,
    time_limit: Duration,
    relative_gap: f64,
    timeout: Option<Duration>,
) -> Result<crate::solve::cover::CoverPlan, ClientError> {
    let mut request = tonic::Request::new(super::cover::request(
        pb::cover_request::Source::Snapshot(snapshot_to_proto(snapshot)),
        absences,
        weights,
        time_limit,
        relative_gap,
    ));
    if let Some(t) = timeout {
        request.set_timeout(t);
    }
    let response = client.cover(request).await.map_err(from_status)?;
    let plan = response.into_inner().plan.ok_or_else(|| {
        ClientError::BadAnswer(vec![FieldError {
            path: "plan".into(),
            reason: "is missing".into(),
        }])
    })?;
    super::cover::from_proto(&plan).map_err(ClientError::BadAnswer)
}

/// Asks the server (inline snapshot) to roster facilities; `on_progress` hears every progress
/// report the server streams, and the answer is the library's own
/// [`RosterFigures`](crate::solve::roster::RosterFigures), one per facility.
pub async fn roster(
    client: &mut Client,
    snapshot: &Snapshot,
    task: &crate::solve::roster::RosterTask,
    timeout: Option<Duration>,
    on_progress: &mut dyn FnMut(&crate::solve::search::Progress),
) -> Result<Vec<crate::solve::roster::RosterFigures>, ClientError> {
    use pb::roster_update::Update;
    let mut request = tonic::Request::new(super::roster::request(
        pb::roster_request::Source::Snapshot(snapshot_to_proto(snapshot)),
        task,
    ));
    if let Some(t) = timeout {
        request.set_timeout(t);
    }
    let mut stream = client
        .roster(request)
        .await
        .map_err(from_status)?
        .into_inner();
    while let Some(update) = stream.message().await.map_err(from_status)? {
        match update.update {
            Some(Update::Progress(p)) => on_progress(&super::roster::progress_from_proto(&p)),
            Some(Update::Result(r)) => {
                return super::roster::from_proto(&r).map_err(ClientError::BadAnswer)
            }
            None => {}
        }
    }
    Err(ClientError::BadAnswer(vec![FieldError {
        path: "result".into(),
        reason: "the stream ended without a result".into(),
    }]))
}

/// Turns a status into a [`ClientError`]; `INVALID_ARGUMENT` with field violations becomes the
/// list of field errors, with the request's `snapshot.` prefix removed.
pub fn from_status(status: Status) -> ClientError {
    if status.code() != Code::InvalidArgument {
        return ClientError::Status(status);
    }
    match status.get_details_bad_request() {
        Some(bad) if !bad.field_violations.is_empty() => ClientError::Invalid(
            bad.field_violations
                .into_iter()
                .map(|v| FieldError {
                    path: match v.field.strip_prefix("snapshot.") {
                        Some(rest) => rest.to_string(),
                        None if v.field == "snapshot" => "$".to_string(),
                        None => v.field,
                    },
                    reason: v.description,
                })
                .collect(),
        ),
        _ => ClientError::Status(status),
    }
}
