//! The server: configuration, the tonic stack around the RPCs, and [`run`].
//!
//! # The stack, outside in
//!
//! 1. TLS (rustls), when `--tls-cert`/`--tls-key` are given.
//! 2. [`DeadlineLayer`]: reads the caller's `grpc-timeout` and answers `DEADLINE_EXCEEDED` when it
//!    passes, dropping the RPC's future — which cancels its job on the pool (see [`super::pool`]).
//!    tonic's own timeout would answer `CANCELLED`; this layer fires a little before it (5 % of
//!    the time allowed, 5 ms to 1 s) so callers get the standard code. An optional server-side cap (`--max-rpc-seconds`) applies
//!    to callers that send no deadline.
//! 3. The bearer-token check (`--token` / `ROTA_TOKEN`) on `rota.v1.RotaService` only: health and
//!    reflection stay open so probes and tools work without the secret.
//! 4. Message-size limits: requests up to `max_message_bytes` (64 MiB by default, see
//!    [`DEFAULT_MAX_MESSAGE_BYTES`]), responses likewise; anything larger is refused by tonic
//!    (with `OUT_OF_RANGE`, tonic's code for it) before it is decoded into memory.
//! 5. The RPCs: each validates what is cheap on the runtime (ids, `NOT_FOUND`), then hands the
//!    CPU work to the [`SolvePool`], which refuses with `RESOURCE_EXHAUSTED` when full.
//!
//! Plus `grpc.health.v1.Health` (SERVING while up, NOT_SERVING once shutdown begins) and server
//! reflection (v1 and v1alpha), so grpcurl and grpcio can discover the API.
//!
//! # Shutdown
//!
//! When the `shutdown` future completes, health flips to NOT_SERVING, the listener stops
//! accepting, and in-flight RPCs finish; after `shutdown_grace` whatever is still running is
//! abandoned (its jobs see their callers go away) and [`run`] returns.

use super::pool::SolvePool;
use super::proto::rota_service_server::{RotaService, RotaServiceServer};
use super::proto::{self as pb};
use super::store::{ModelCache, Store, StoreError, StoreLimits};
use super::{
    check, cover, get_snapshot_info, put_snapshot, recommend, roster, ServiceError, State,
};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tonic::{Request, Response, Status};
use tracing::Instrument;

/// Everything `rota serve` can be told.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where snapshots are stored; none keeps them in memory (lost on exit).
    pub data_dir: Option<PathBuf>,
    /// Jobs running at once on the blocking pool.
    pub workers: usize,
    /// Jobs waiting for a worker before new ones are refused with `RESOURCE_EXHAUSTED`.
    pub queue: usize,
    /// Largest request or response message, in bytes.
    pub max_message_bytes: usize,
    /// Bounds of the snapshot store.
    pub store: StoreLimits,
    /// Models of stored snapshots kept in memory for repeated checks.
    pub model_cache: usize,
    /// Longest an RPC may run when its caller set no shorter deadline.
    pub max_rpc_time: Option<Duration>,
    /// Serve TLS with this certificate chain and private key (PEM).
    pub tls: Option<TlsPem>,
    /// Require `authorization: Bearer <token>` on `rota.v1` RPCs.
    pub token: Option<String>,
    /// How long in-flight RPCs may run on after shutdown begins.
    pub shutdown_grace: Duration,
}

/// A certificate chain and its private key, PEM-encoded.
#[derive(Clone)]
pub struct TlsPem {
    /// The certificate chain.
    pub cert: Vec<u8>,
    /// The private key.
    pub key: Vec<u8>,
}

impl std::fmt::Debug for TlsPem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsPem { .. }")
    }
}

/// 64 MiB: the default generated city (790 staff, 170,000 roster entries, a fiscal year) is 17 MB
/// of JSON and smaller as protobuf, and a city of the 20–30 MB JSON class fits with room for long
/// leave and demand lists; absurd payloads are refused before they are held in memory.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 64 << 20;

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: None,
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue: 16,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            store: StoreLimits::default(),
            model_cache: 2,
            max_rpc_time: None,
            tls: None,
            token: None,
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The snapshot store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The reflection service could not be built from the compiled-in descriptors.
    #[error("reflection: {0}")]
    Reflection(String),
    /// TLS or transport setup failed, or the server failed while running.
    #[error("transport: {0}")]
    Transport(#[from] tonic::transport::Error),
}

/// The `rota.v1.RotaService` implementation.
#[derive(Clone)]
pub struct Rota {
    state: State,
}

impl Rota {
    /// A service over `state`.
    pub fn new(state: State) -> Self {
        Rota { state }
    }

    /// Runs `job` on the pool inside a span, timing it and logging its outcome (no input data).
    async fn on_pool<Req, Resp>(
        &self,
        method: &'static str,
        request: Req,
        job: fn(&State, Req, &super::pool::Cancel) -> Result<Resp, ServiceError>,
    ) -> Result<Response<Resp>, Status>
    where
        Req: Send + 'static,
        Resp: Send + 'static,
    {
        let started = Instant::now();
        let state = self.state.clone();
        let result = match self.state.pool.admit() {
            Ok(ticket) => ticket
                .run(move |cancel| job(&state, request, cancel))
                .await
                .unwrap_or_else(|e| Err(ServiceError::Pool(e))),
            Err(e) => Err(ServiceError::Pool(e)),
        };
        finish(method, started, result)
    }
}

fn finish<Resp>(
    method: &'static str,
    started: Instant,
    result: Result<Resp, ServiceError>,
) -> Result<Response<Resp>, Status> {
    let ms = started.elapsed().as_secs_f64() * 1e3;
    match result {
        Ok(r) => {
            tracing::info!(method, ms, code = "OK", "rpc done");
            Ok(Response::new(r))
        }
        Err(e) => {
            let status = Status::from(e);
            tracing::info!(method, ms, code = ?status.code(), "rpc failed");
            Err(status)
        }
    }
}

#[tonic::async_trait]
impl RotaService for Rota {
    async fn put_snapshot(
        &self,
        request: Request<pb::PutSnapshotRequest>,
    ) -> Result<Response<pb::PutSnapshotResponse>, Status> {
        let span = tracing::info_span!("rpc", method = "PutSnapshot");
        self.on_pool(
            "PutSnapshot",
            request.into_inner(),
            put_snapshot::put_snapshot,
        )
        .instrument(span)
        .await
    }

    async fn get_snapshot_info(
        &self,
        request: Request<pb::GetSnapshotInfoRequest>,
    ) -> Result<Response<pb::GetSnapshotInfoResponse>, Status> {
        let span = tracing::info_span!("rpc", method = "GetSnapshotInfo");
        let _enter = span.enter();
        let started = Instant::now();
        let result = get_snapshot_info::get_snapshot_info(&self.state, request.get_ref());
        finish("GetSnapshotInfo", started, result)
    }

    async fn check(
        &self,
        request: Request<pb::CheckRequest>,
    ) -> Result<Response<pb::CheckResponse>, Status> {
        let span = tracing::info_span!("rpc", method = "Check");
        let request = request.into_inner();
        // A malformed or unknown id needs no worker.
        if let Err(e) = check::precheck(&self.state, &request) {
            let _enter = span.enter();
            return finish("Check", Instant::now(), Err(e));
        }
        self.on_pool("Check", request, check::check)
            .instrument(span)
            .await
    }

    async fn recommend(
        &self,
        request: Request<pb::RecommendRequest>,
    ) -> Result<Response<pb::RecommendResponse>, Status> {
        let span = tracing::info_span!("rpc", method = "Recommend");
        let request = request.into_inner();
        // A malformed request or an unknown id needs no worker.
        if let Err(e) = recommend::precheck(&self.state, &request) {
            let _enter = span.enter();
            return finish("Recommend", Instant::now(), Err(e));
        }
        self.on_pool("Recommend", request, recommend::recommend)
            .instrument(span)
            .await
    }

    async fn cover(
        &self,
        request: Request<pb::CoverRequest>,
    ) -> Result<Response<pb::CoverResponse>, Status> {
        let span = tracing::info_span!("rpc", method = "Cover");
        // The solve stops by the time the deadline layer answers, freeing its worker.
        let deadline = request.extensions().get::<RpcDeadline>().map(|d| d.0);
        let request = request.into_inner();
        // A malformed request or an unknown id needs no worker.
        if let Err(e) = cover::precheck(&self.state, &request) {
            let _enter = span.enter();
            return finish("Cover", Instant::now(), Err(e));
        }
        let job = cover::CoverJob { request, deadline };
        self.on_pool("Cover", job, cover::cover)
            .instrument(span)
            .await
    }

    type RosterStream = tokio_stream::wrappers::ReceiverStream<Result<pb::RosterUpdate, Status>>;

    async fn roster(
        &self,
        request: Request<pb::RosterRequest>,
    ) -> Result<Response<Self::RosterStream>, Status> {
        let span = tracing::info_span!("rpc", method = "Roster");
        let started = Instant::now();
        // The deadline layer only times the response's headers; the solve itself is cut to the
        // deadline so the stream ends by then.
        let deadline = request.extensions().get::<RpcDeadline>().map(|d| d.0);
        let request = request.into_inner();
        // A malformed request, an unknown id or a full pool is answered at once, before any
        // stream is opened.
        let ticket = match roster::precheck(&self.state, &request)
            .and_then(|()| self.state.pool.admit().map_err(ServiceError::Pool))
        {
            Ok(ticket) => ticket,
            Err(e) => {
                let _enter = span.enter();
                return finish("Roster", started, Err(e));
            }
        };
        let (updates, stream) = tokio::sync::mpsc::channel(ROSTER_STREAM_BUFFER);
        let state = self.state.clone();
        let job = roster::RosterJob { request, deadline };
        tokio::spawn(
            async move {
                let progress = updates.clone();
                let solve = ticket.run(move |cancel| {
                    roster::roster(&state, job, cancel, &mut |p| {
                        // Progress is advisory: a slow reader misses reports, never stalls
                        // the solver.
                        let _ = progress.try_send(Ok(pb::RosterUpdate {
                            update: Some(pb::roster_update::Update::Progress(p)),
                        }));
                    })
                });
                // A caller that hangs up drops the receiver: dropping the job cancels it.
                let result = tokio::select! {
                    result = solve => result.unwrap_or_else(|e| Err(ServiceError::Pool(e))),
                    () = updates.closed() => {
                        tracing::info!("caller left; the roster solve is cancelled");
                        return;
                    }
                };
                let last = match result {
                    Ok(r) => {
                        tracing::info!(ms = started.elapsed().as_secs_f64() * 1e3, code = "OK", "rpc done");
                        Ok(pb::RosterUpdate {
                            update: Some(pb::roster_update::Update::Result(r)),
                        })
                    }
                    Err(e) => {
                        let status = Status::from(e);
                        tracing::info!(ms = started.elapsed().as_secs_f64() * 1e3, code = ?status.code(), "rpc failed");
                        Err(status)
                    }
                };
                let _ = updates.send(last).await;
            }
            .instrument(span),
        );
        Ok(Response::new(tokio_stream::wrappers::ReceiverStream::new(
            stream,
        )))
    }
}

/// Progress reports a `Roster` stream holds for a slow reader before it skips some.
const ROSTER_STREAM_BUFFER: usize = 32;

/// Opens the store and builds the shared state.
pub fn state(config: &Config) -> Result<State, ServeError> {
    let store = Store::open(config.data_dir.as_deref(), config.store)?;
    Ok(State {
        store: Arc::new(store),
        models: Arc::new(ModelCache::new(config.model_cache)),
        pool: SolvePool::new(config.workers, config.queue),
    })
}

/// Serves on `listener` until `shutdown` completes (see the module docs). Tests bind
/// `127.0.0.1:0` and pass any future; `rota serve` passes SIGINT/SIGTERM.
pub async fn run(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let state = state(&config)?;
    run_with_state(listener, config, state, shutdown).await
}

/// [`run`] over a state built by the caller — tests use it to hold the pool's slots and fill the
/// queue deterministically. `config`'s store, cache and pool settings are not used.
pub async fn run_with_state(
    listener: TcpListener,
    config: Config,
    state: State,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    let local = listener.local_addr().ok();
    tracing::info!(
        addr = ?local,
        store = %state.store.location(),
        snapshots = state.store.len(),
        workers = state.pool.workers(),
        queue = state.pool.queue(),
        tls = config.tls.is_some(),
        token = config.token.is_some(),
        "rota server listening"
    );

    let (health, health_service) = tonic_health::server::health_reporter();
    health.set_serving::<RotaServiceServer<Rota>>().await;
    let reflection_v1 = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1()
        .map_err(|e| ServeError::Reflection(e.to_string()))?;
    let reflection_v1alpha = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
        .build_v1alpha()
        .map_err(|e| ServeError::Reflection(e.to_string()))?;

    let rota = RotaServiceServer::new(Rota::new(state))
        .max_decoding_message_size(config.max_message_bytes)
        .max_encoding_message_size(config.max_message_bytes);
    let rota = tonic::service::interceptor::InterceptedService::new(
        rota,
        TokenCheck(config.token.clone().map(Arc::from)),
    );

    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = &config.tls {
        builder = builder.tls_config(
            tonic::transport::ServerTlsConfig::new()
                .identity(tonic::transport::Identity::from_pem(&tls.cert, &tls.key)),
        )?;
    }
    let router = builder
        .layer(DeadlineLayer {
            max: config.max_rpc_time,
        })
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(rota);

    // `shutdown` fires `stop`; the server drains on `stop`; `grace` bounds the drain.
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let health_on_stop = health.clone();
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: no new connections; finishing in-flight RPCs");
        health_on_stop
            .set_not_serving::<RotaServiceServer<Rota>>()
            .await;
        let _ = stop_tx.send(true);
    });
    let mut drain_rx = stop_rx.clone();
    let serve = router.serve_with_incoming_shutdown(
        tokio_stream::wrappers::TcpListenerStream::new(listener),
        async move {
            let _ = drain_rx.wait_for(|stop| *stop).await;
        },
    );
    let grace = config.shutdown_grace;
    tokio::select! {
        result = serve => result?,
        _ = async {
            let _ = stop_rx.wait_for(|stop| *stop).await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(?grace, "in-flight RPCs outlived the shutdown grace period; abandoning them");
        }
    }
    tracing::info!("rota server stopped");
    Ok(())
}

/// The bearer-token check on `rota.v1` RPCs; `None` lets every call through.
#[derive(Clone)]
struct TokenCheck(Option<Arc<str>>);

impl tonic::service::Interceptor for TokenCheck {
    fn call(&mut self, request: Request<()>) -> Result<Request<()>, Status> {
        let Some(expected) = &self.0 else {
            return Ok(request);
        };
        let given = request
            .metadata()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match given {
            Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => Ok(request),
            Some(_) => Err(Status::unauthenticated("the bearer token is not valid")),
            None => Err(Status::unauthenticated(
                "this server requires `authorization: Bearer <token>`",
            )),
        }
    }
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, &x) in a.iter().enumerate() {
        diff |= usize::from(x ^ b.get(i % b.len().max(1)).copied().unwrap_or(0));
    }
    diff == 0
}

// ---------------------------------------------------------------------------------------------
// Deadlines

/// How much earlier than the caller's deadline this layer answers: 5 % of the time allowed,
/// at least 5 ms and at most 1 s. tonic starts its own timer (which answers `CANCELLED`) a moment
/// before this one, and tonic clients run a timer of their own from the moment they send; firing
/// a little early lets the standard `DEADLINE_EXCEEDED` reach the caller first.
fn deadline_margin(limit: Duration) -> Duration {
    (limit / 20).clamp(Duration::from_millis(5), Duration::from_secs(1))
}

/// When [`DeadlineLayer`] will answer `DEADLINE_EXCEEDED` for a call, put in the call's
/// extensions so a long solve can stop by then instead of running on for nobody.
#[derive(Clone, Copy, Debug)]
pub struct RpcDeadline(pub Instant);

/// Honours `grpc-timeout` (and the server's cap) with `DEADLINE_EXCEEDED`; see the module docs.
#[derive(Clone, Copy, Debug)]
pub struct DeadlineLayer {
    /// The server-side cap for callers without a shorter deadline.
    pub max: Option<Duration>,
}

impl<S> tower_layer::Layer<S> for DeadlineLayer {
    type Service = Deadline<S>;

    fn layer(&self, inner: S) -> Deadline<S> {
        Deadline {
            inner,
            max: self.max,
        }
    }
}

/// The service [`DeadlineLayer`] wraps around the routes.
#[derive(Clone, Debug)]
pub struct Deadline<S> {
    inner: S,
    max: Option<Duration>,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

impl<S, B> tower_service::Service<http::Request<B>> for Deadline<S>
where
    S: tower_service::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>,
    S::Future: Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = BoxFuture<Result<Self::Response, S::Error>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: http::Request<B>) -> Self::Future {
        let asked = request
            .headers()
            .get("grpc-timeout")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_grpc_timeout);
        let limit = match (asked, self.max) {
            (Some(a), Some(m)) => Some(a.min(m)),
            (a, m) => a.or(m),
        };
        if let Some(limit) = limit {
            let answered = Instant::now() + limit.saturating_sub(deadline_margin(limit));
            request.extensions_mut().insert(RpcDeadline(answered));
        }
        let future = self.inner.call(request);
        Box::pin(async move {
            let Some(limit) = limit else {
                return future.await;
            };
            match tokio::time::timeout(limit.saturating_sub(deadline_margin(limit)), future).await {
                Ok(result) => result,
                Err(_) => {
                    tracing::info!(?limit, "deadline exceeded; the RPC's work is cancelled");
                    Ok(Status::deadline_exceeded(format!(
                        "the deadline ({limit:?}) passed before the answer was ready; the work was cancelled"
                    ))
                    .into_http())
                }
            }
        })
    }
}

/// Parses a `grpc-timeout` value: up to 8 digits and a unit (H, M, S, m, u, n).
pub fn parse_grpc_timeout(value: &str) -> Option<Duration> {
    if value.len() < 2 || value.len() > 9 {
        return None;
    }
    let (digits, unit) = value.split_at(value.len() - 1);
    let n: u64 = digits.parse().ok()?;
    Some(match unit {
        "H" => Duration::from_secs(n.checked_mul(3600)?),
        "M" => Duration::from_secs(n.checked_mul(60)?),
        "S" => Duration::from_secs(n),
        "m" => Duration::from_millis(n),
        "u" => Duration::from_micros(n),
        "n" => Duration::from_nanos(n),
        _ => return None,
    })
}
